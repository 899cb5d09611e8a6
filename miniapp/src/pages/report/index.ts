import {
  defaultQuery,
  loadReport,
  reportBars,
  reportTabs,
  thisYear,
  type Bar,
} from '../../../../shared/view/reports.js'
import { api } from '../../api/session.js'
import { definePage, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'

/** the reports drawn as bars here (shared/view/reports.ts: the same queries as the H5 app's) */
type Chart = keyof typeof reportBars
const CHARTS = reportTabs.filter(
  (t): t is (typeof reportTabs)[number] & { key: Chart } => t.key in reportBars,
)

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

/** The bars of a chart: its report for this year, shaped by the shared `reportBars`. */
const barsOf = async <K extends Chart>(chart: K): Promise<Bar[]> =>
  (reportBars[chart] as (report: unknown) => Bar[])(await loadReport(api(), chart, defaultQuery(chart)))

async function load(page: ReportThis, chart: Chart) {
  page.setData({ chart, loading: true, error: '', bars: [], empty: false })
  try {
    const bars = await barsOf(chart)
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
    year: thisYear(),
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
  onChartTap(event: { currentTarget: { dataset: { key: Chart } } }) {
    return load(this, event.currentTarget.dataset.key)
  },
  onRetry() {
    return load(this, this.data.chart as Chart)
  },
})
