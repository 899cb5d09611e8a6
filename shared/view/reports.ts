import type { ApiClient } from '../api/client.js'
import type {
  Briefing,
  Funnel,
  PaymentsReport,
  Performance,
  Role,
  TargetMetric,
  TargetsReport,
} from '../schemas/index.js'
import { addDays, chinaToday, formatMoney } from './format.js'
import { targetMetricLabels } from './labels.js'

/**
 * 统计分析 for both apps: the reports, the periods they offer, what each one asks the API (within the
 * caller's data scope: the API decides what it counts) and the bars a narrow screen draws of them.
 */
export const reportTabs = [
  { key: 'briefing', label: '简报' },
  { key: 'targets', label: '目标达成' },
  { key: 'funnel', label: '销售漏斗' },
  { key: 'payments', label: '回款分析' },
  { key: 'performance', label: '销售业绩' },
] as const
export type ReportKey = (typeof reportTabs)[number]['key']

/** The periods a report offers: 本月, 本季度, 本年, 近 30 天 (China days, up to today). */
export function reportRanges(today = chinaToday()) {
  const [y, m] = today.split('-').map(Number)
  const month = (n: number) => `${y}-${String(n).padStart(2, '0')}-01`
  return [
    { key: 'month', label: '本月', from: month(m), to: today },
    { key: 'quarter', label: '本季度', from: month(Math.floor((m - 1) / 3) * 3 + 1), to: today },
    { key: 'year', label: '本年', from: `${y}-01-01`, to: today },
    { key: '30d', label: '近 30 天', from: addDays(today, -29), to: today },
  ]
}

export const thisYear = (today = chinaToday()) => Number(today.slice(0, 4))

/** What a report is asked for: a period (`range`) or a `year`, and its own choices. */
export interface ReportQuery {
  range: string
  year: number
  scope: 'team' | 'self'
  metric: TargetMetric
  groupBy: 'user' | 'dept'
}

/**
 * 简报's 范围: a member has no team under them (the API counts only their own anyway), so they are offered
 * 仅本人 alone, already chosen; a manager or admin 我的团队 or 仅本人.
 */
export const reportScopes = (role?: Role): { key: ReportQuery['scope']; label: string }[] =>
  role === 'member'
    ? [{ key: 'self', label: '仅本人' }]
    : [
        { key: 'team', label: '我的团队' },
        { key: 'self', label: '仅本人' },
      ]

/** Each report's starting query (`role`: the caller's, for 简报's 范围). */
export const defaultQuery = (key: ReportKey, today = chinaToday(), role?: Role): ReportQuery => ({
  range: key === 'briefing' ? 'month' : 'year',
  year: thisYear(today),
  scope: reportScopes(role)[0].key,
  metric: 'contractAmount',
  groupBy: 'user',
})

/** What each report answers. */
export interface ReportData {
  briefing: Briefing
  targets: TargetsReport
  funnel: Funnel
  payments: PaymentsReport
  performance: Performance
}

/** The API call of each report: the one table to adapt when the client changes. */
export function loadReport<K extends ReportKey>(
  api: ApiClient,
  key: K,
  query: ReportQuery,
  today = chinaToday(),
): Promise<ReportData[K]> {
  const { from, to } = reportRanges(today).find((r) => r.key === query.range) ?? reportRanges(today)[2]
  const calls: { [R in ReportKey]: () => Promise<ReportData[R]> } = {
    briefing: () => api.reports.briefing({ from, to, scope: query.scope }),
    targets: () => api.reports.targets({ year: query.year, metric: query.metric }),
    funnel: () => api.reports.funnel({ from, to }),
    payments: () => api.reports.payments({ year: query.year }),
    performance: () => api.reports.performance({ from, to, groupBy: query.groupBy }),
  }
  return calls[key]()
}

// ---------------------------------------------------------------- bars (narrow screens)

/** One bar of a chart: its width in percent of the widest, and the figures beside it. */
export interface Bar {
  key: string
  label: string
  /** 0–100 */
  width: number
  value: string
  /** a second, thinner bar (回款: received under planned) */
  width2?: number
  value2?: string
}

const percent = (value: number, max: number) => (max > 0 ? Math.round((value / max) * 100) : 0)

/** 目标达成: each department or person, the bar is the rate (capped at 100 %). */
const targetBars = (report: TargetsReport): Bar[] =>
  report.rows.map((r) => ({
    key: `${r.scope}:${r.subjectId}`,
    label: r.name,
    width: Math.min(100, Math.round(r.rate ?? 0)),
    value: `${r.rate === null ? '—' : `${r.rate}%`} · ${formatMoney(r.yearActual)} / ${formatMoney(r.yearTarget)}`,
  }))

/** 销售漏斗: open stages and won, the bar is the count; the amount beside it. */
const funnelBars = (funnel: Funnel): Bar[] => {
  const stages = funnel.stages.filter((s) => s.kind !== 'lost')
  const max = Math.max(0, ...stages.map((s) => s.count))
  return stages.map((s) => ({
    key: s.stageId,
    label: s.name,
    width: percent(s.count, max),
    value: `${s.count} 个 · ${formatMoney(s.amount)}${stayText(s.averageSeconds)}`,
  }))
}

/** 平均停留: the mean time opportunities spent in a stage (days, or hours under a day). */
const stayText = (seconds: number | null | undefined) =>
  seconds === null || seconds === undefined
    ? ''
    : seconds >= 86_400
      ? ` · 平均停留 ${Math.round((seconds / 86_400) * 10) / 10} 天`
      : ` · 平均停留 ${Math.round((seconds / 3600) * 10) / 10} 小时`

/** 回款分析: per month, planned (bar) and received (second bar). */
const paymentBars = (report: PaymentsReport): Bar[] => {
  const max = Math.max(0, ...report.months.flatMap((m) => [m.planned, m.received]))
  return report.months.map((m) => ({
    key: String(m.month),
    label: `${m.month} 月`,
    width: percent(m.planned, max),
    value: `计划 ${formatMoney(m.planned)}`,
    width2: percent(m.received, max),
    value2: `已回 ${formatMoney(m.received)}${m.overdue ? ` · 逾期 ${formatMoney(m.overdue)}` : ''}`,
  }))
}

/** 销售业绩: each person or department, the bar is the contract amount; the rest beside it. */
const performanceBars = (report: Performance): Bar[] => {
  const max = Math.max(0, ...report.rows.map((r) => r.contractAmount))
  return report.rows.map((r) => ({
    key: r.id,
    label: r.name,
    width: percent(r.contractAmount, max),
    value: `合同 ${formatMoney(r.contractAmount)} · 回款 ${formatMoney(r.paymentAmount)}`,
    value2: `新增客户 ${r.newCustomers} · 跟进 ${r.followUps} · 赢单 ${r.wonOpportunities}`,
  }))
}

/** The reports a narrow screen draws as bars, and how. */
export const reportBars = {
  targets: targetBars,
  funnel: funnelBars,
  payments: paymentBars,
  performance: performanceBars,
} satisfies Partial<{ [K in ReportKey]: (report: ReportData[K]) => Bar[] }>

// ---------------------------------------------------------------- filters

/** One choice a report offers above it (时间, 范围, 年度, 指标, 按): the query field and its options. */
export interface ReportChoice<F extends keyof ReportQuery = keyof ReportQuery> {
  field: F
  label: string
  options: { key: ReportQuery[F]; label: string }[]
}

const yearChoices = (today: string) =>
  [thisYear(today) - 1, thisYear(today), thisYear(today) + 1].map((y) => ({ key: y, label: `${y} 年` }))

/**
 * The choices each report offers, in the order they show (both apps: chips on H5, pickers in the
 * mini-program); `role`: the caller's, for 简报's 范围 (a member is offered 仅本人 alone).
 */
export function reportChoices(key: ReportKey, today = chinaToday(), role?: Role): ReportChoice[] {
  const range: ReportChoice = {
    field: 'range',
    label: '时间',
    options: reportRanges(today).map((r) => ({ key: r.key, label: r.label })),
  }
  const year: ReportChoice = { field: 'year', label: '年度', options: yearChoices(today) }
  const choices: { [K in ReportKey]: ReportChoice[] } = {
    briefing: [range, { field: 'scope', label: '范围', options: reportScopes(role) }],
    targets: [
      year,
      {
        field: 'metric',
        label: '指标',
        options: Object.entries(targetMetricLabels).map(([k, label]) => ({ key: k as TargetMetric, label })),
      },
    ],
    funnel: [range],
    payments: [year],
    performance: [
      range,
      {
        field: 'groupBy',
        label: '按',
        options: [
          { key: 'user', label: '人员' },
          { key: 'dept', label: '部门' },
        ],
      },
    ],
  }
  return choices[key]
}

/**
 * A report's starting query for this caller: a salesperson (a member: they lead no team) sees 仅本人, as
 * their 我的团队 would be themselves alone anyway.
 */
export const startingQuery = (
  key: ReportKey,
  me: { role: Role } | undefined,
  today = chinaToday(),
): ReportQuery => defaultQuery(key, today, me?.role)

/** What the chosen values of a query read as (2026 年 · 本月 · 按人员), for a heading. */
export const queryText = (key: ReportKey, query: ReportQuery, today = chinaToday()): string =>
  reportChoices(key, today)
    .map((c) => c.options.find((o) => o.key === query[c.field])?.label)
    .filter(Boolean)
    .join(' · ')
