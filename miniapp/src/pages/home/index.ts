import type { Briefing, Lead, Me, Reminder } from '../../../../shared/schemas/index.js'
import { addDays, chinaToday, formatDateTime, formatMoney } from '../../../../shared/view/format.js'
import { api, currentUser } from '../../api/session.js'
import { definePage, ddApi, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { chooseFrom } from '../../lib/pickers.js'
import { rowOf, type RowView } from '../../modules/types.js'
import { recordModules } from '../../modules/registry.js'
import { homeModules } from '../../modules/index.js'

/** "+" on 工作台: what can be created in one tap */
const QUICK_ADD = [
  { label: '新建线索', page: '/pages/lead/form' },
  { label: '新建客户', page: '/pages/customer/form' },
  { label: '写跟进', page: '/pages/followup/form' },
  { label: '新建商机', page: '/pages/opportunity/form' },
]

/** The end of today in the tenant's time (Asia/Shanghai, UTC+8 all year): the start of tomorrow. */
const endOfToday = (now = Date.now()) =>
  new Date(`${addDays(chinaToday(now), 1)}T00:00:00+08:00`).toISOString()

/** My open reminders due by the end of today as the API gives them (oldest first), the overdue ones marked. */
function dueReminders(items: Reminder[], now = Date.now()): RowView[] {
  return items.map((r) => ({
    id: r.id,
    title: r.title,
    brief: [r.recordName, formatDateTime(r.dueAt)].filter(Boolean).join(' · '),
    extra: Date.parse(r.dueAt) < now ? '已逾期' : '今天',
  }))
}

const briefingCells = (b: Briefing) => [
  { label: '新增客户', value: String(b.newCustomers) },
  { label: '跟进次数', value: String(b.followUps) },
  { label: '新增商机', value: String(b.newOpportunities) },
  { label: '合同金额', value: formatMoney(b.contractAmount) },
  { label: '回款金额', value: formatMoney(b.paymentAmount) },
]

interface HomeData {
  userName: string
  error: string
  modules: ((typeof homeModules)[number] & { soon: boolean })[]
  reminders: RowView[]
  leads: RowView[]
  briefing: { label: string; value: string }[]
}
type HomeThis = PageInstance<HomeData>

async function loadBoard(page: HomeThis, me: Me) {
  const client = api()
  const today = chinaToday()
  const [reminders, leads, briefing] = await Promise.allSettled([
    client.reminders.list({ mine: true, dueBefore: endOfToday(), limit: 50 }),
    client.leads.list({ assigneeId: me.id, open: true, limit: 5 }),
    client.reports.briefing({ from: today, to: today }),
  ])
  page.setData({
    reminders: reminders.status === 'fulfilled' ? dueReminders(reminders.value.items) : [],
    leads:
      leads.status === 'fulfilled'
        ? (leads.value.items as Lead[]).map((l) => rowOf(recordModules.leads, l as never))
        : [],
    briefing: briefing.status === 'fulfilled' ? briefingCells(briefing.value) : [],
  })
}

type Tap = { currentTarget: { dataset: { id?: string; path?: string } } }

/** 工作台: my due reminders, my leads, today's numbers, quick add and the grid of modules. */
definePage({
  data: {
    userName: '',
    error: '',
    modules: homeModules.map((m) => ({ ...m, soon: !m.page })),
    reminders: [],
    leads: [],
    briefing: [],
  } as HomeData,
  async onLoad() {
    try {
      // opened straight from a card there is no session yet: /api/me logs in through the 401 retry
      const me = currentUser() ?? (await api().auth.me())
      this.setData({ userName: me.name, error: '' })
      await loadBoard(this, me)
    } catch (error) {
      this.setData({ error: errorText(error) })
    }
  },
  async onPullDownRefresh() {
    await this.onLoad()
    ddApi().stopPullDownRefresh()
  },
  onModuleTap(event: Tap) {
    const module = homeModules.find((m) => m.path === event.currentTarget.dataset.path)
    if (module?.page) ddApi().navigateTo({ url: module.page })
    else ddApi().showToast({ content: `${module?.label ?? '该模块'}即将上线`, type: 'none' })
  },
  onReminderTap(event: Tap) {
    ddApi().navigateTo({
      url: `/pages/reminder/detail?id=${encodeURIComponent(event.currentTarget.dataset.id!)}`,
    })
  },
  onLeadTap(event: Tap) {
    ddApi().navigateTo({
      url: `/pages/lead/detail?id=${encodeURIComponent(event.currentTarget.dataset.id!)}`,
    })
  },
  async onQuickAdd() {
    const index = await chooseFrom(
      '快速新建',
      QUICK_ADD.map((q) => q.label),
    )
    if (index >= 0) ddApi().navigateTo({ url: QUICK_ADD[index].page })
  },
})
