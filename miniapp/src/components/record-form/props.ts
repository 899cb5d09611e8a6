import type { FormValue } from '../../../../shared/view/record-view.js'
import type { FormFieldView } from '../../lib/form.js'

export interface RecordFormProps {
  /**
   * @description the fields with their current value and error, from `formState()`
   * @default []
   */
  fields: FormFieldView[]
  /**
   * @description a field changed: its name and new value (text, a switch's boolean, twelve month texts)
   */
  onChange: (name: string, value: FormValue) => void
  /**
   * @description a picker row was tapped (date, user, record, location): the page asks and sets the value
   */
  onTapField: (name: string) => void
}

export const recordFormDefaults: RecordFormProps = { fields: [], onChange: () => {}, onTapField: () => {} }
