import type { Funnel, PaymentsReport, TargetsReport } from '../../../../shared/schemas/index.js'
import { chinaToday, formatMoney } from '../../../../shared/view/format.js'
import { api } from '../../api/session.js'
import { definePage, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'

/** One bar of a chart: its width in percent of the widest, and the figures beside it. */
interface Bar {
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
    value: `${s.count} 个 · ${formatMoney(s.amount)}`,
  }))
}

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

const CHARTS = [
  { key: 'targets', label: '目标达成' },
  { key: 'funnel', label: '销售漏斗' },
  { key: 'payments', label: '回款分析' },
]

interface ReportData {
  year: number
  charts: typeof CHARTS
  chart: string
  bars: Bar[]
  empty: boolean
  loading: boolean
  error: string
}
type ReportThis = PageInstance<ReportData>

async function load(page: ReportThis, chart: string) {
  page.setData({ chart, loading: true, error: '', bars: [], empty: false })
  const client = api()
  const { year } = page.data
  try {
    const bars =
      chart === 'targets'
        ? targetBars(await client.reports.targets({ year }))
        : chart === 'funnel'
          ? funnelBars(await client.reports.funnel({ from: `${year}-01-01`, to: `${year}-12-31` }))
          : paymentBars(await client.reports.payments({ year }))
    // an answer for a chart the user already left is dropped
    if (page.data.chart !== chart) return
    page.setData({ bars, empty: bars.length === 0, loading: false })
  } catch (error) {
    page.setData({ loading: false, error: errorText(error) })
  }
}

/** 统计分析: this year's charts, within the caller's data scope (the API decides what it counts). */
definePage({
  data: {
    year: Number(chinaToday().slice(0, 4)),
    charts: CHARTS,
    chart: 'targets',
    bars: [],
    empty: false,
    loading: false,
    error: '',
  } as ReportData,
  onLoad() {
    return load(this, 'targets')
  },
  onChartTap(event: { currentTarget: { dataset: { key: string } } }) {
    return load(this, event.currentTarget.dataset.key)
  },
  onRetry() {
    return load(this, this.data.chart)
  },
})
