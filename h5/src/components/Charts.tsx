/**
 * Small charts drawn as inline SVG (no chart library): grouped bars, horizontal bars, a funnel and a
 * progress bar. Each scales to its container's width through the viewBox.
 */

export interface Series {
  name: string
  color: string
  values: readonly number[]
}

/** 12345600 fen → '12.3万' (axis and bar labels; details go in the tables). */
export function shortMoney(fen: number): string {
  const yuan = fen / 100
  if (Math.abs(yuan) >= 1e8) return `${(yuan / 1e8).toFixed(1)}亿`
  if (Math.abs(yuan) >= 1e4) return `${(yuan / 1e4).toFixed(1)}万`
  return String(Math.round(yuan))
}

const niceMax = (max: number) => {
  if (max <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(max))
  return Math.ceil(max / power) * power
}

function Legend({ series }: { series: readonly Series[] }) {
  return (
    <div className="chart-legend">
      {series.map((s) => (
        <span key={s.name}>
          <i style={{ background: s.color }} />
          {s.name}
        </span>
      ))}
    </div>
  )
}

/** Grouped vertical bars: one group per label (月份), one bar per series. */
export function BarChart(props: {
  title: string
  labels: readonly string[]
  series: readonly Series[]
  format?: (value: number) => string
}) {
  const format = props.format ?? String
  const width = 420
  const height = 220
  const left = 40
  const bottom = 24
  const top = 12
  const max = niceMax(Math.max(0, ...props.series.flatMap((s) => s.values)))
  const plotW = width - left - 8
  const plotH = height - top - bottom
  const groupW = plotW / Math.max(1, props.labels.length)
  const barW = Math.max(2, (groupW * 0.7) / Math.max(1, props.series.length))
  const y = (v: number) => top + plotH - (Math.max(0, v) / max) * plotH
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title}>
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <g key={f}>
            <line x1={left} x2={width - 8} y1={y(max * f)} y2={y(max * f)} className="chart-grid" />
            <text x={left - 6} y={y(max * f) + 4} className="chart-axis" textAnchor="end">
              {format(max * f)}
            </text>
          </g>
        ))}
        {props.labels.map((label, i) => {
          const x0 = left + i * groupW + (groupW - barW * props.series.length) / 2
          return (
            <g key={label}>
              {props.series.map((s, j) => (
                <rect
                  key={s.name}
                  x={x0 + j * barW}
                  y={y(s.values[i] ?? 0)}
                  width={barW - 1}
                  height={top + plotH - y(s.values[i] ?? 0)}
                  fill={s.color}
                >
                  <title>{`${label} ${s.name}：${format(s.values[i] ?? 0)}`}</title>
                </rect>
              ))}
              <text
                x={left + i * groupW + groupW / 2}
                y={height - 6}
                className="chart-axis"
                textAnchor="middle"
              >
                {label}
              </text>
            </g>
          )
        })}
      </svg>
      <Legend series={props.series} />
    </figure>
  )
}

/** Horizontal bars, largest first (销售业绩 ranking). */
export function HBarChart(props: {
  title: string
  rows: readonly { label: string; value: number }[]
  color: string
  format?: (value: number) => string
}) {
  const format = props.format ?? String
  const rowH = 26
  const width = 420
  const left = 72
  const right = 64
  const rows = [...props.rows].sort((a, b) => b.value - a.value)
  const max = Math.max(1, ...rows.map((r) => r.value))
  const height = Math.max(rowH, rows.length * rowH) + 4
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title}>
        {rows.map((row, i) => {
          const w = ((width - left - right) * Math.max(0, row.value)) / max
          return (
            <g key={row.label} transform={`translate(0 ${i * rowH + 2})`}>
              <text x={left - 8} y={rowH / 2 + 4} textAnchor="end" className="chart-label">
                {row.label}
              </text>
              <rect x={left} y={4} width={Math.max(1, w)} height={rowH - 8} rx={3} fill={props.color} />
              <text x={left + w + 6} y={rowH / 2 + 4} className="chart-value">
                {format(row.value)}
              </text>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}

/** 销售漏斗: one band per stage, its width by count, centred. */
export function FunnelChart(props: {
  title: string
  stages: readonly { name: string; count: number; note: string; color: string }[]
}) {
  const width = 420
  const bandH = 32
  const height = props.stages.length * bandH + 4
  const max = Math.max(1, ...props.stages.map((s) => s.count))
  const plot = width - 150
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title}>
        {props.stages.map((stage, i) => {
          const w = Math.max(24, (plot * stage.count) / max)
          const x = (plot - w) / 2
          return (
            <g key={stage.name} transform={`translate(0 ${i * bandH + 2})`}>
              <rect x={x} y={2} width={w} height={bandH - 4} rx={4} fill={stage.color} />
              <text x={plot / 2} y={bandH / 2 + 5} textAnchor="middle" className="chart-band">
                {stage.name} {stage.count}
              </text>
              <text x={plot + 12} y={bandH / 2 + 5} className="chart-value">
                {stage.note}
              </text>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}

/** A rate as a bar (目标达成率); over 100% stays full and turns green. */
export function RateBar({ rate }: { rate: number | null }) {
  const shown = rate ?? 0
  return (
    <span className="rate">
      <span className="progress">
        <span
          className={shown >= 100 ? 'progress-bar progress-full' : 'progress-bar'}
          style={{ width: `${Math.min(100, Math.max(0, shown))}%` }}
        />
      </span>
      <span className="rate-text">{rate === null ? '—' : `${rate.toFixed(1)}%`}</span>
    </span>
  )
}
