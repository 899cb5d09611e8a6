import { api } from '../../api/session.js'
import { definePage } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { toast } from '../../lib/pickers.js'
import { EDIT_DELETE, recordDetailPage } from '../../lib/record-pages.js'
import { markStale } from '../../lib/stale.js'
import { recordModules } from '../../modules/registry.js'

/** 提醒详情: 完成 closes it (no more cards). */
definePage(
  recordDetailPage(recordModules.reminders, {
    actions: [
      { key: 'onDone', label: '完成', type: 'primary' },
      ...EDIT_DELETE.map((a) => ({ ...a, type: a.type === 'primary' ? ('default' as const) : a.type })),
    ],
    methods: {
      async onDone() {
        const record = this.data.record
        if (!record) return
        try {
          await api().reminders.update(this.data.id, { status: 'done', version: record.version })
          markStale('reminders')
          toast('已完成', 'success')
          await this.reload()
        } catch (error) {
          toast(errorText(error), 'fail')
        }
      },
    },
  }),
)
