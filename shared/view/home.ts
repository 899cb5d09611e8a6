import type { ApiClient } from '../api/client.js'
import type { Collection } from '../nouns.js'
import type { Briefing, Lead, Reminder } from '../schemas/index.js'
import { addDays, chinaToday, formatDateTime, formatMoney } from './format.js'
import { labelOf, recordTypeLabels } from './labels.js'
import { leadView } from './lifecycle.js'
import type { Viewer } from './record-actions.js'

/**
 * 工作台 (home) for both apps: today's briefing, my open reminders due by the end of today (the overdue
 * ones first), the open leads assigned to me, and 「+」 quick add.
 */

/** 「+」: what can be created in one tap (the collection's new-record form). */
export const quickAdds: readonly { label: string; collection: Collection }[] = [
  { label: '新建线索', collection: 'leads' },
  { label: '新建客户', collection: 'customers' },
  { label: '写跟进', collection: 'followups' },
  { label: '新建商机', collection: 'opportunities' },
]

/** How many reminders and leads 工作台 lists. */
const SHOWN = 5

/** The end of today in the tenant's time (Asia/Shanghai, UTC+8 all year): the start of tomorrow. */
export const endOfToday = (now = Date.now()) =>
  new Date(`${addDays(chinaToday(now), 1)}T00:00:00+08:00`).toISOString()

export interface HomeRow {
  id: string
  title: string
  brief: string
  /** a reminder past its time */
  overdue?: boolean
}

const reminderRow = (r: Reminder, now: number): HomeRow => ({
  id: r.id,
  title: r.title,
  brief: [
    formatDateTime(r.dueAt),
    r.recordName ? `${labelOf(recordTypeLabels, r.recordType)}：${r.recordName}` : '',
  ]
    .filter(Boolean)
    .join(' · '),
  overdue: Date.parse(r.dueAt) < now,
})

const leadRow = (l: Lead): HomeRow => ({
  id: l.id,
  title: leadView.title(l),
  brief: leadView.brief?.(l) ?? '',
})

/** The briefing's figures, as both 工作台 and 统计分析 show them. */
export const briefingCells = (b: Briefing | undefined): { label: string; value: string }[] => [
  { label: '新增客户', value: b ? String(b.newCustomers) : '—' },
  { label: '跟进次数', value: b ? String(b.followUps) : '—' },
  { label: '新增商机', value: b ? String(b.newOpportunities) : '—' },
  { label: '赢单商机', value: b ? String(b.wonOpportunities) : '—' },
  { label: '合同金额', value: b ? formatMoney(b.contractAmount) : '—' },
  { label: '回款金额', value: b ? formatMoney(b.paymentAmount) : '—' },
]

export interface HomeData {
  briefing: { label: string; value: string }[]
  reminders: HomeRow[]
  leads: HomeRow[]
  /** the first error of a part that could not load (the others still show) */
  error?: unknown
}

/** What 工作台 shows the caller; a part that fails to load shows empty. */
export async function homeData(api: ApiClient, viewer: Viewer, now = Date.now()): Promise<HomeData> {
  const today = chinaToday(now)
  const [briefing, reminders, leads] = await Promise.allSettled([
    api.reports.briefing({ from: today, to: today }),
    api.reminders.list({ mine: true, dueBefore: endOfToday(now), limit: SHOWN }),
    api.leads.list({ assigneeId: viewer.id, open: true, limit: SHOWN }),
  ])
  const failed = [briefing, reminders, leads].find((r) => r.status === 'rejected')
  return {
    briefing: briefingCells(briefing.status === 'fulfilled' ? briefing.value : undefined),
    reminders: reminders.status === 'fulfilled' ? reminders.value.items.map((r) => reminderRow(r, now)) : [],
    leads: leads.status === 'fulfilled' ? leads.value.items.map(leadRow) : [],
    ...(failed && { error: failed.reason }),
  }
}
