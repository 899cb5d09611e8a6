import { useEffect, useState, type ReactNode } from 'react'
import { Toast } from 'dingtalk-design-mobile'
import { useSearchParams } from 'react-router-dom'
import {
  briefingCells,
  formatMoney,
  labelOf,
  loadReport,
  reportChoices,
  reportTabs,
  startingQuery,
  targetMetricLabels,
  type ReportChoice,
  type ReportData,
  type ReportKey,
  type ReportQuery,
} from '../../../shared/view/index.js'
import { api } from '../api.js'
import { BarChart, FunnelChart, HBarChart, RateBar, shortMoney } from '../components/Charts.js'
import { errorMessage } from '../components/hooks.js'
import { Page } from '../components/Page.js'
import { Loading } from '../components/Status.js'
import { session } from '../session.js'

/**
 * 统计分析: 简报, 目标达成, 销售漏斗, 回款分析, 销售业绩 — each within the caller's data scope (the
 * queries: shared/view/reports.ts, as the mini-program asks them).
 */

const MONTHS = Array.from({ length: 12 }, (_, i) => `${i + 1}月`)
const COLORS = ['#3370ff', '#00b42a', '#ff7d00', '#722ed1', '#14c9c9', '#f53f3f', '#eb2f96']

/** A report's choices (shared/view/reports.ts, as the mini-program offers them): a row of chips each. */
function Choices({ choices, query, set }: { choices: ReportChoice[]; query: ReportQuery; set: SetChoice }) {
  return (
    <>
      {choices.map((choice) => (
        <div className="filter-row" role="group" aria-label={choice.label} key={choice.field}>
          <span className="filter-label">{choice.label}</span>
          {choice.options.map((o) => (
            <button
              type="button"
              key={String(o.key)}
              className={o.key === query[choice.field] ? 'chip chip-on' : 'chip'}
              onClick={() => set(choice.field, o.key)}
            >
              {o.label}
            </button>
          ))}
        </div>
      ))}
    </>
  )
}

type SetChoice = <F extends keyof ReportQuery>(field: F, value: ReportQuery[F]) => void

/**
 * A report's query (its starting one for the caller, changed through its choices) and its data, loaded
 * again whenever the query changes; `choices` draws the report's filters.
 */
function useReport<K extends ReportKey>(key: K) {
  const [query, setQuery] = useState<ReportQuery>(() => startingQuery(key, session.user()))
  const [data, setData] = useState<ReportData[K] | undefined>(undefined)
  useEffect(() => {
    let current = true
    setData(undefined)
    loadReport(api, key, query).then(
      (found) => current && setData(found),
      (error) => Toast.fail({ content: errorMessage(error) }),
    )
    return () => {
      current = false
    }
  }, [key, query])
  const set: SetChoice = (field, value) => setQuery((q) => ({ ...q, [field]: value }))
  const choices = (
    <Choices choices={reportChoices(key, undefined, session.user()?.role)} query={query} set={set} />
  )
  return { query, data, choices }
}

function Table(props: { head: string[]; rows: ReactNode[][]; className?: string }) {
  return (
    <div className="table-wrap">
      <table className={`record-table report-table ${props.className ?? ''}`}>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row, i) => (
            <tr key={i}>
              {row.map((cell, j) => (
                <td key={j}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function BriefingReport() {
  const { data, choices } = useReport('briefing')
  return (
    <>
      {choices}
      <div className="briefing briefing-large">
        {briefingCells(data).map(({ label, value }) => (
          <div key={label} className="briefing-cell">
            <div className="briefing-value">{value}</div>
            <div className="briefing-label">{label}</div>
          </div>
        ))}
      </div>
      {data ? (
        <HBarChart
          title="数量"
          color="#3370ff"
          rows={[
            { label: '新增客户', value: data.newCustomers },
            { label: '跟进次数', value: data.followUps },
            { label: '新增商机', value: data.newOpportunities },
            { label: '赢单商机', value: data.wonOpportunities },
          ]}
        />
      ) : null}
    </>
  )
}

function TargetsView() {
  const { query, data, choices } = useReport('targets')
  const { year, metric } = query
  const [selected, setSelected] = useState(0)
  const row = data?.rows[selected] ?? data?.rows[0]
  return (
    <>
      {choices}
      {!data ? <Loading /> : null}
      {data?.rows.length === 0 ? <div className="muted center">{year} 年还没有设置销售目标</div> : null}
      {row ? (
        <BarChart
          title={`${row.name} · 每月${labelOf(targetMetricLabels, metric)}：目标与实际`}
          labels={MONTHS}
          format={shortMoney}
          series={[
            { name: '目标', color: '#c9cdd4', values: row.months.map((m) => m.target) },
            { name: '实际', color: '#3370ff', values: row.months.map((m) => m.actual) },
          ]}
        />
      ) : null}
      {data?.rows.length ? (
        <Table
          head={['对象', '全年目标', '全年完成', '达成率']}
          rows={data.rows.map((r, i) => [
            <button type="button" className="link-button" key="n" onClick={() => setSelected(i)}>
              {r.scope === 'dept' ? '部门 · ' : ''}
              {r.name}
            </button>,
            formatMoney(r.yearTarget),
            formatMoney(r.yearActual),
            <RateBar key="r" rate={r.rate} />,
          ])}
        />
      ) : null}
    </>
  )
}

function FunnelView() {
  const { data, choices } = useReport('funnel')
  return (
    <>
      {choices}
      {!data ? <Loading /> : null}
      {data ? (
        <>
          <FunnelChart
            title="销售漏斗（按商机创建时间）"
            stages={data.stages.map((s, i) => ({
              name: s.name,
              count: s.count,
              note: `${shortMoney(s.amount)} 元${s.conversion === null ? '' : ` · 转化 ${s.conversion.toFixed(0)}%`}`,
              color: s.kind === 'lost' ? '#f53f3f' : s.kind === 'won' ? '#00b42a' : COLORS[i % COLORS.length],
            }))}
          />
          <Table
            head={['阶段', '赢率', '商机数', '金额', '预测金额', '转化率']}
            rows={data.stages.map((s) => [
              s.name,
              `${s.probability}%`,
              s.count,
              formatMoney(s.amount),
              formatMoney(s.weightedAmount),
              s.conversion === null ? '—' : `${s.conversion.toFixed(1)}%`,
            ])}
          />
        </>
      ) : null}
    </>
  )
}

function PaymentsView() {
  const { query, data, choices } = useReport('payments')
  const { year } = query
  return (
    <>
      {choices}
      {!data ? <Loading /> : null}
      {data ? (
        <>
          <BarChart
            title={`${year} 年回款分析：计划、实际与逾期`}
            labels={MONTHS}
            format={shortMoney}
            series={[
              { name: '计划回款', color: '#c9cdd4', values: data.months.map((m) => m.planned) },
              { name: '实际回款', color: '#00b42a', values: data.months.map((m) => m.received) },
              { name: '逾期未回', color: '#f53f3f', values: data.months.map((m) => m.overdue) },
            ]}
          />
          <Table
            head={['月份', '计划回款', '实际回款', '逾期未回']}
            rows={data.months.map((m) => [
              `${m.month}月`,
              formatMoney(m.planned),
              formatMoney(m.received),
              formatMoney(m.overdue),
            ])}
          />
        </>
      ) : null}
    </>
  )
}

function PerformanceView() {
  const { query, data, choices } = useReport('performance')
  const { groupBy } = query
  return (
    <>
      {choices}
      {!data ? <Loading /> : null}
      {data ? (
        <>
          <HBarChart
            title="合同金额排行"
            color="#3370ff"
            format={shortMoney}
            rows={data.rows.map((r) => ({ label: r.name, value: r.contractAmount }))}
          />
          <Table
            head={[groupBy === 'user' ? '人员' : '部门', '合同金额', '回款金额', '新增客户', '跟进', '赢单']}
            rows={data.rows.map((r) => [
              r.name,
              formatMoney(r.contractAmount),
              formatMoney(r.paymentAmount),
              r.newCustomers,
              r.followUps,
              r.wonOpportunities,
            ])}
          />
        </>
      ) : null}
    </>
  )
}

export default function Reports() {
  const [params, setParams] = useSearchParams()
  const tab = reportTabs.find((t) => t.key === params.get('tab'))?.key ?? 'briefing'
  return (
    <Page title="统计分析">
      <div className="tabs tabs-scroll" role="tablist">
        {reportTabs.map((t) => (
          <button
            type="button"
            role="tab"
            key={t.key}
            aria-selected={t.key === tab}
            className={t.key === tab ? 'tab tab-on' : 'tab'}
            onClick={() => setParams({ tab: t.key }, { replace: true })}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className="report">
        {tab === 'briefing' ? <BriefingReport /> : null}
        {tab === 'targets' ? <TargetsView /> : null}
        {tab === 'funnel' ? <FunnelView /> : null}
        {tab === 'payments' ? <PaymentsView /> : null}
        {tab === 'performance' ? <PerformanceView /> : null}
      </div>
    </Page>
  )
}
