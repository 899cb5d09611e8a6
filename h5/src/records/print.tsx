import { Toast } from 'dingtalk-design-mobile'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import type { MoreItem } from '../components/MoreMenu.js'

/** The collections with an A4 print page (`GET /api/<collection>/{id}/print`). */
const printable = { contracts: true, customers: true, opportunities: true } as const
type Printable = keyof typeof printable

const isPrintable = (collection: string): collection is Printable => collection in printable

/**
 * 打印: asks for the record's print link (a ticket: a new tab cannot send the session's header) and
 * opens the page in a new tab, which opens the browser's print dialog by itself.
 */
async function openPrint(collection: Printable, id: string) {
  // opened at once (a popup opened after an await is blocked), pointed at the page when the link is in
  const tab = window.open('', '_blank')
  try {
    const { path } = await api[collection].printLink(id)
    const url = `${import.meta.env.VITE_API_BASE ?? ''}${path}&autoprint=1`
    if (tab) tab.location.href = url
    else window.location.assign(url)
  } catch (error) {
    tab?.close()
    Toast.fail({ content: errorMessage(error) })
  }
}

/** 打印 as an item of a record's 更多 (none for a collection without a print page). */
export const printItem = (collection: string, id: string): MoreItem[] =>
  isPrintable(collection)
    ? [{ key: 'print', label: '打印', tone: 'default', onSelect: () => void openPrint(collection, id) }]
    : []
