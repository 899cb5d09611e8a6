/**
 * 共有 N 条记录 under every list, as honestly as the API allows: the kept count where the list has one
 * (客户, 公海, 线索 and a customer's tabs, unfiltered); otherwise the rows read so far, which is the whole
 * answer once no page is left (any filter), else 已加载 N 条 (more to come: the lists page by cursor and
 * keep no count per filter, which would take a scan of the partition).
 */
export interface ListCount {
  /** the API's count (`total`), when it gave one */
  total?: number | null
  /** rows read so far */
  loaded: number
  /** another page is left (a `nextCursor`) */
  more: boolean
}

export function listCount({ total, loaded, more }: ListCount): string {
  if (typeof total === 'number') return `共有 ${total} 条记录`
  return more ? `已加载 ${loaded} 条，还有更多` : `共有 ${loaded} 条记录`
}
