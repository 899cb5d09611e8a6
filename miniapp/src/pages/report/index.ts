import {
  loadReport,
  queryText,
  reportBars,
  reportChoices,
  reportTabs,
  startingQuery,
  type Bar,
  type ReportQuery,
} from '../../../../shared/view/reports.js'
import { api, currentUser } from '../../api/session.js'
import { definePage, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'

/** the reports drawn as bars here (shared/view/reports.ts: the same queries and choices as the H5 app's) */
type Chart = keyof typeof reportBars
const CHARTS = reportTabs.filter(
  (t): t is (typeof reportTabs)[number] & { key: Chart } => t.key in reportBars,
)

/** A report's choice as its picker shows it. */
interface ChoiceView {
  field: keyof ReportQuery
  label: string
  options: string[]
  index: number
}

interface ReportData {
  charts: typeof CHARTS
  chart: Chart
  query: ReportQuery
  choices: ChoiceView[]
  /** the chosen values in words: 本年 · 按人员 */
  heading: string
  bars: Bar[]
  empty: boolean
  loading: boolean
  error: string
}
type ReportThis = PageInstance<ReportData>

/** the choices of a report for the caller (a member's 范围 is 仅本人) */
const choicesFor = (chart: Chart) => reportChoices(chart, undefined, currentUser()?.role)

const choicesOf = (chart: Chart, query: ReportQuery): ChoiceView[] =>
  choicesFor(chart).map((c) => ({
    field: c.field,
    label: c.label,
    options: c.options.map((o) => o.label),
    index: Math.max(
      0,
      c.options.findIndex((o) => o.key === query[c.field]),
    ),
  }))

// the newest request per page: an answer to an older one (the user changed chart or filter) is dropped
const latest = new WeakMap<object, number>()
let requests = 0

async function load(page: ReportThis, chart: Chart, query: ReportQuery) {
  const request = ++requests
  latest.set(page, request)
  page.setData({
    chart,
    query,
    choices: choicesOf(chart, query),
    heading: queryText(chart, query),
    loading: true,
    error: '',
    bars: [],
    empty: false,
  })
  try {
    const report = await loadReport(api(), chart, query)
    if (latest.get(page) !== request) return
    const bars = (reportBars[chart] as (report: unknown) => Bar[])(report)
    page.setData({ bars, empty: bars.length === 0, loading: false })
  } catch (error) {
    if (latest.get(page) === request) page.setData({ loading: false, error: errorText(error) })
  }
}

const CHART: Chart = 'targets'

/**
 * 统计分析: 销售业绩, 目标达成, 销售漏斗, 回款分析, each with its own choices (时间, 年度, 指标, 按人员/部门),
 * within the caller's data scope (the API decides what it counts). `?chart=` opens one.
 */
definePage({
  data: {
    charts: CHARTS,
    chart: CHART,
    query: startingQuery(CHART, undefined),
    choices: [],
    heading: '',
    bars: [],
    empty: false,
    loading: false,
    error: '',
  } as ReportData,
  onLoad(query: { chart?: string } = {}) {
    const chart = CHARTS.find((c) => c.key === query.chart)?.key ?? CHART
    return load(this, chart, startingQuery(chart, currentUser()))
  },
  onChartTap(event: { currentTarget: { dataset: { key: Chart } } }) {
    const chart = event.currentTarget.dataset.key
    return load(this, chart, startingQuery(chart, currentUser()))
  },
  /** a choice's picker changed: `data-field`, the chosen index */
  onChoicePick(event: {
    currentTarget: { dataset: { field: keyof ReportQuery } }
    detail: { value: number }
  }) {
    const choice = choicesFor(this.data.chart).find((c) => c.field === event.currentTarget.dataset.field)
    const option = choice?.options[Number(event.detail.value)]
    if (!choice || !option) return
    return load(this, this.data.chart, { ...this.data.query, [choice.field]: option.key })
  },
  onRetry() {
    return load(this, this.data.chart, this.data.query)
  },
})
