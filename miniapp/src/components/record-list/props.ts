import type { RowView } from '../../modules/types.js'

export interface RecordListProps {
  /**
   * @description class added to the list's root
   * @default ''
   */
  className: string
  /**
   * @description the rows, from a module's `row()`
   * @default []
   */
  rows: RowView[]
  /**
   * @description a row was tapped; receives its id
   */
  onItemTap: (id: string) => void
}

export const recordListDefaults: RecordListProps = { className: '', rows: [], onItemTap: () => {} }
