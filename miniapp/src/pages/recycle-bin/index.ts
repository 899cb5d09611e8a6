import type { BinEntry } from '../../../../shared/schemas/index.js'
import { formatDateTime } from '../../../../shared/view/format.js'
import { collectionLabel } from '../../../../shared/view/modules.js'
import { api } from '../../api/session.js'
import { ddApi, ddCall, definePage } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { listPage } from '../../lib/list-page.js'
import { markStale } from '../../lib/stale.js'

/** A bin row's id names the collection too: `products/01J…`. */
const rowId = (entry: BinEntry) => `${entry.collection}/${entry.id}`

/** 回收站: deleted records, newest first; tapping one restores it after a confirmation. */
definePage(
  listPage(
    {
      title: '已删除的记录',
      searchPlaceholder: '',
      fetch: ({ cursor, limit }) => api().recycleBin.list({ cursor, limit }),
      row: (entry: BinEntry) => ({
        id: rowId(entry),
        title: entry.label,
        brief: `${collectionLabel(entry.collection)} · 删除于 ${formatDateTime(entry.deletedAt)}`,
        extra: '恢复',
      }),
    },
    {
      async onItemTap(id: string) {
        const row = this.data.rows.find((r) => r.id === id)
        const { confirm } = await ddCall<{ confirm: boolean }>((callbacks) =>
          ddApi().confirm({
            title: '恢复',
            content: `恢复「${row?.title ?? ''}」？`,
            confirmButtonText: '恢复',
            cancelButtonText: '取消',
            ...callbacks,
          }),
        )
        if (!confirm) return
        const slash = id.indexOf('/')
        const collection = id.slice(0, slash)
        try {
          await api().recycleBin.restore(collection, id.slice(slash + 1))
          markStale(collection)
          this.removeRow(id)
          ddApi().showToast({ content: '已恢复', type: 'success' })
        } catch (error) {
          ddApi().showToast({ content: errorText(error), type: 'fail' })
        }
      },
    },
  ),
)
