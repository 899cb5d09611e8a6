import { api } from '../../api/session.js'
import { ddApi, definePage } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { choicesFor } from '../../lib/names.js'
import { chooseFrom, confirmAction, toast } from '../../lib/pickers.js'
import { recordDetailPage, type DetailAction } from '../../lib/record-pages.js'
import { markStale } from '../../lib/stale.js'
import { recordModules } from '../../modules/registry.js'

const OPEN: DetailAction[] = [
  { key: 'onConvert', label: '转为新客户', type: 'primary' },
  { key: 'onAssign', label: '分配', type: 'default' },
  { key: 'onRemind', label: '提醒', type: 'default' },
  { key: 'onEdit', label: '编辑', type: 'default' },
  { key: 'onDelete', label: '删除', type: 'warn' },
]
/** a converted lead can no longer be edited, assigned or converted (the API refuses): its customer instead */
const CONVERTED: DetailAction[] = [
  { key: 'onOpenCustomer', label: '查看客户', type: 'primary' },
  { key: 'onDelete', label: '删除', type: 'warn' },
]

/** 线索详情 (also what a 新线索 card opens): 分配, 转为新客户, 提醒. */
definePage(
  recordDetailPage(recordModules.leads, {
    actions: OPEN,
    afterLoad(page, record) {
      page.setData({ actions: record.status === 'converted' ? CONVERTED : OPEN })
    },
    methods: {
      onOpenCustomer() {
        const customerId = this.data.record?.convertedCustomerId
        if (typeof customerId === 'string')
          ddApi().navigateTo({ url: `/pages/customer/detail?id=${encodeURIComponent(customerId)}` })
      },
      async onAssign() {
        const users = await choicesFor({ name: 'assigneeId', label: '负责人', kind: 'user' }).catch(() => [])
        const index = await chooseFrom(
          '分配给',
          users.map((u) => u.name),
        )
        if (index < 0) return
        try {
          await api().leads.assign(this.data.id, { assigneeId: users[index].id })
          markStale('leads')
          toast(`已分配给 ${users[index].name}`, 'success')
          await this.reload()
        } catch (error) {
          toast(errorText(error), 'fail')
        }
      },
      async onConvert() {
        const ok = await confirmAction(
          '转为新客户',
          `用线索「${this.data.title}」新建客户和联系人？`,
          '转为客户',
        )
        if (!ok) return
        try {
          const { customerId } = await api().leads.convert(this.data.id)
          markStale('leads')
          markStale('customers')
          toast('已转为新客户', 'success')
          ddApi().redirectTo({ url: `/pages/customer/detail?id=${encodeURIComponent(customerId)}` })
        } catch (error) {
          toast(errorText(error), 'fail')
        }
      },
      onRemind() {
        const { id, title } = this.data
        ddApi().navigateTo({
          url: `/pages/reminder/form?recordType=lead&recordId=${encodeURIComponent(id)}&recordName=${encodeURIComponent(title)}`,
        })
      },
    },
  }),
)
