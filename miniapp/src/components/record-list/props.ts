import type { RowView } from '../../modules/types.js'

export interface RecordListProps {
  /**
   * @description class added to the list's root
   * @default ''
   */
  className: string
  /**
   * @description the rows, from a module's view (title, brief)
   * @default []
   */
  rows: RowView[]
  /**
   * @description the text of a button on every row (公海: 领取); none when empty
   * @default ''
   */
  action: string
  /**
   * @description a row was tapped; receives its id
   */
  onItemTap: (id: string) => void
  /**
   * @description a row's button was tapped; receives the row's id
   */
  onAction: (id: string) => void
}

export const recordListDefaults: RecordListProps = {
  className: '',
  rows: [],
  action: '',
  onItemTap: () => {},
  onAction: () => {},
}
