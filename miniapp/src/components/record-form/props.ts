import type { FormFieldView } from '../../lib/form.js'

export interface RecordFormProps {
  /**
   * @description the fields with their current value and error, from `formFields()`
   * @default []
   */
  fields: FormFieldView[]
  /**
   * @description a field changed: its name and new value (text, or a switch's boolean)
   */
  onChange: (name: string, value: string | boolean) => void
}

export const recordFormDefaults: RecordFormProps = { fields: [], onChange: () => {} }
