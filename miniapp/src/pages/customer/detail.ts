import { customerCategoryLabels } from '../../../../shared/view/labels.js'
import { api } from '../../api/session.js'
import { ddApi, definePage } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { choicesFor } from '../../lib/names.js'
import { askText, chooseFrom, confirmAction, toast } from '../../lib/pickers.js'
import { recordDetailPage, type DetailAction, type DetailThis } from '../../lib/record-pages.js'
import { markStale } from '../../lib/stale.js'
import { recordModules } from '../../modules/registry.js'

const categories = Object.entries(customerCategoryLabels)

/** Runs a customer verb, then shows the customer as it now is; lists that held it refresh on return. */
async function act(page: DetailThis, verb: () => Promise<unknown>, done: string) {
  try {
    await verb()
    markStale('customers')
    markStale('pool')
    toast(done, 'success')
    await page.reload()
  } catch (error) {
    toast(errorText(error), 'fail')
  }
}

/** 客户详情: tabs 客户信息 / 动态 / 跟进 / 商机 / 合同 / 联系人 and the customer's actions. */
const OWNED: DetailAction[] = [
  { key: 'onFollowUp', label: '写跟进', type: 'primary' },
  { key: 'onEdit', label: '编辑', type: 'default' },
  { key: 'onRemind', label: '提醒', type: 'default' },
  { key: 'onCategory', label: '分类调整', type: 'default' },
  { key: 'onAssign', label: '经理调整', type: 'default' },
  { key: 'onRelease', label: '返回公海', type: 'warn' },
  { key: 'onDelete', label: '删除', type: 'warn' },
]
/** a pool customer (opened from 公海): take it, or a manager hands it to someone */
const IN_POOL: DetailAction[] = [
  { key: 'onClaim', label: '领取', type: 'primary' },
  { key: 'onAssign', label: '经理调整', type: 'default' },
]

definePage(
  recordDetailPage(recordModules.customers, {
    actions: OWNED,
    afterLoad(page, record) {
      page.setData({ actions: record.ownerId ? OWNED : IN_POOL })
    },
    methods: {
      async onClaim() {
        await act(this, () => api().customers.claim(this.data.id), '已领取')
      },
      onFollowUp() {
        ddApi().navigateTo({ url: `/pages/followup/form?customerId=${encodeURIComponent(this.data.id)}` })
      },
      onRemind() {
        const { id, title } = this.data
        ddApi().navigateTo({
          url: `/pages/reminder/form?recordType=customer&recordId=${encodeURIComponent(id)}&recordName=${encodeURIComponent(title)}`,
        })
      },
      async onCategory() {
        const index = await chooseFrom(
          '分类调整',
          categories.map(([, label]) => label),
        )
        if (index < 0) return
        const [category] = categories[index]
        await act(
          this,
          () => api().customers.setCategory(this.data.id, { category: category as 'A' }),
          '已调整分类',
        )
      },
      async onAssign() {
        const users = await choicesFor({ name: 'ownerId', label: '客户经理', kind: 'user' }).catch(() => [])
        const index = await chooseFrom(
          '经理调整',
          users.map((u) => u.name),
        )
        if (index < 0) return
        const user = users[index]
        if (!(await confirmAction('经理调整', `将「${this.data.title}」交给 ${user.name} 负责？`, '确定')))
          return
        await act(
          this,
          () => api().customers.assign(this.data.id, { ownerId: user.id }),
          `已交给 ${user.name}`,
        )
      },
      async onRelease() {
        const ok = await confirmAction(
          '返回公海',
          `将「${this.data.title}」退回公海？退回后你将不再负责这个客户。`,
          '退回',
        )
        if (!ok) return
        const reason = await askText('退回原因', '请填写退回公海的原因')
        if (!reason) return toast('请填写退回公海的原因')
        await act(this, () => api().customers.release(this.data.id, { reason }), '已退回公海')
      },
    },
  }),
)
