import { useEffect, useState, type ReactNode } from 'react'
import { Toast } from 'dingtalk-design-mobile'
import { useSearchParams } from 'react-router-dom'
import type {
  Briefing,
  Funnel,
  PaymentsReport,
  Performance,
  TargetMetric,
  TargetsReport,
} from '../../../shared/schemas/index.js'
import { addDays, chinaToday, formatMoney, labelOf, targetMetricLabels } from '../../../shared/view/index.js'
import { api } from '../api.js'
import { BarChart, FunnelChart, HBarChart, RateBar, shortMoney } from '../components/Charts.js'
import { errorMessage } from '../components/hooks.js'
import { Page } from '../components/Page.js'
import { Loading } from '../components/Status.js'

/** 统计分析: 简报, 目标达成, 销售漏斗, 回款分析, 销售业绩 — each within the caller's data scope. */

const tabs = [
  { key: 'briefing', label: '简报' },
  { key: 'targets', label: '目标达成' },
  { key: 'funnel', label: '销售漏斗' },
  { key: 'payments', label: '回款分析' },
  { key: 'performance', label: '销售业绩' },
] as const
type TabKey = (typeof tabs)[number]['key']

const MONTHS = Array.from({ length: 12 }, (_, i) => `${i + 1}月`)
const COLORS = ['#3370ff', '#00b42a', '#ff7d00', '#722ed1', '#14c9c9', '#f53f3f', '#eb2f96']

/** The date ranges a report offers: 本月, 本季度, 本年 (China days). */
function ranges(today = chinaToday()) {
  const [y, m] = today.split('-').map(Number)
  const monthStart = `${y}-${String(m).padStart(2, '0')}-01`
  const quarterMonth = Math.floor((m - 1) / 3) * 3 + 1
  return [
    { key: 'month', label: '本月', from: monthStart, to: today },
    { key: 'quarter', label: '本季度', from: `${y}-${String(quarterMonth).padStart(2, '0')}-01`, to: today },
    { key: 'year', label: '本年', from: `${y}-01-01`, to: today },
    { key: '30d', label: '近 30 天', from: addDays(today, -29), to: today },
  ]
}

function Chips<T extends string | number>(props: {
  label: string
  value: T
  options: readonly { key: T; label: string }[]
  onChange: (value: T) => void
}) {
  return (
    <div className="filter-row" role="group" aria-label={props.label}>
      <span className="filter-label">{props.label}</span>
      {props.options.map((o) => (
        <button
          type="button"
          key={String(o.key)}
          className={o.key === props.value ? 'chip chip-on' : 'chip'}
          onClick={() => props.onChange(o.key)}
        >
          {o.label}
        </button>
      ))}
    </div>
  )
}

/** Loads a report whenever its query changes. */
function useReport<T>(load: () => Promise<T>, deps: unknown[]): T | undefined {
  const [data, setData] = useState<T | undefined>(undefined)
  useEffect(() => {
    let current = true
    setData(undefined)
    load().then(
      (found) => current && setData(found),
      (error) => Toast.fail({ content: errorMessage(error) }),
    )
    return () => {
      current = false
    }
  }, deps)
  return data
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
  const [range, setRange] = useState('month')
  const [scope, setScope] = useState<'team' | 'self'>('team')
  const chosen = ranges().find((r) => r.key === range)!
  const data = useReport<Briefing>(
    () => api.reports.briefing({ from: chosen.from, to: chosen.to, scope }),
    [range, scope],
  )
  const cells: [string, string | number | undefined][] = [
    ['新增客户', data?.newCustomers],
    ['跟进次数', data?.followUps],
    ['新增商机', data?.newOpportunities],
    ['赢单商机', data?.wonOpportunities],
    ['合同金额', data && formatMoney(data.contractAmount)],
    ['回款金额', data && formatMoney(data.paymentAmount)],
  ]
  return (
    <>
      <Chips label="时间" value={range} options={ranges()} onChange={setRange} />
      <Chips
        label="范围"
        value={scope}
        options={[
          { key: 'team', label: '我的团队' },
          { key: 'self', label: '仅本人' },
        ]}
        onChange={setScope}
      />
      <div className="briefing briefing-large">
        {cells.map(([label, value]) => (
          <div key={label} className="briefing-cell">
            <div className="briefing-value">{value ?? '—'}</div>
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

const thisYear = () => Number(chinaToday().slice(0, 4))
const yearOptions = () =>
  [thisYear() - 1, thisYear(), thisYear() + 1].map((y) => ({ key: y, label: `${y}年` }))

function TargetsView() {
  const [year, setYear] = useState(thisYear())
  const [metric, setMetric] = useState<TargetMetric>('contractAmount')
  const [selected, setSelected] = useState(0)
  const data = useReport<TargetsReport>(() => api.reports.targets({ year, metric }), [year, metric])
  const row = data?.rows[selected] ?? data?.rows[0]
  return (
    <>
      <Chips label="年度" value={year} options={yearOptions()} onChange={setYear} />
      <Chips
        label="指标"
        value={metric}
        options={Object.entries(targetMetricLabels).map(([key, label]) => ({
          key: key as TargetMetric,
          label,
        }))}
        onChange={setMetric}
      />
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
  const [range, setRange] = useState('year')
  const chosen = ranges().find((r) => r.key === range)!
  const data = useReport<Funnel>(() => api.reports.funnel({ from: chosen.from, to: chosen.to }), [range])
  return (
    <>
      <Chips label="时间" value={range} options={ranges()} onChange={setRange} />
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
  const [year, setYear] = useState(thisYear())
  const data = useReport<PaymentsReport>(() => api.reports.payments({ year }), [year])
  return (
    <>
      <Chips label="年度" value={year} options={yearOptions()} onChange={setYear} />
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
  const [range, setRange] = useState('year')
  const [groupBy, setGroupBy] = useState<'user' | 'dept'>('user')
  const chosen = ranges().find((r) => r.key === range)!
  const data = useReport<Performance>(
    () => api.reports.performance({ from: chosen.from, to: chosen.to, groupBy }),
    [range, groupBy],
  )
  return (
    <>
      <Chips label="时间" value={range} options={ranges()} onChange={setRange} />
      <Chips
        label="按"
        value={groupBy}
        options={[
          { key: 'user', label: '人员' },
          { key: 'dept', label: '部门' },
        ]}
        onChange={setGroupBy}
      />
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
  const tab = (tabs.find((t) => t.key === params.get('tab'))?.key ?? 'briefing') as TabKey
  return (
    <Page title="统计分析">
      <div className="tabs tabs-scroll" role="tablist">
        {tabs.map((t) => (
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
