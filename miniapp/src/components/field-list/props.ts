export interface FieldListProps {
  /**
   * @description label and display text of each field, in order
   * @default []
   */
  fields: { label: string; value: string }[]
}

export const fieldListDefaults: FieldListProps = { fields: [] }
