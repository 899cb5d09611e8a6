/**
 * Small charts without a chart library: grouped bars as inline SVG (scaled to the container through the
 * viewBox), horizontal bars, a funnel and a progress bar as HTML rows (their labels wrap, never clipped).
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

/**
 * Horizontal bars, largest first (销售业绩 ranking): HTML rows rather than SVG text, so a long name wraps
 * in its column instead of being cut at the chart's edge.
 */
export function HBarChart(props: {
  title: string
  rows: readonly { label: string; value: number }[]
  color: string
  format?: (value: number) => string
}) {
  const format = props.format ?? String
  const rows = [...props.rows].sort((a, b) => b.value - a.value)
  const max = Math.max(1, ...rows.map((r) => r.value))
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <div className="hbars" role="img" aria-label={props.title}>
        {rows.map((row) => (
          <div key={row.label} className="hbar-row">
            <span className="hbar-label">{row.label}</span>
            <span className="hbar-track">
              <span
                className="hbar"
                style={{ width: `${(100 * Math.max(0, row.value)) / max}%`, background: props.color }}
              />
            </span>
            <span className="hbar-value">{format(row.value)}</span>
          </div>
        ))}
      </div>
    </figure>
  )
}

/**
 * 销售漏斗: one band per stage, its width by count, centred; the stage's name in a column of its own
 * (never inside a band too narrow for it: "商务谈判" stays whole) and its figures beside the band.
 */
export function FunnelChart(props: {
  title: string
  stages: readonly { name: string; count: number; note: string; color: string }[]
}) {
  const max = Math.max(1, ...props.stages.map((s) => s.count))
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <div className="funnel" role="img" aria-label={props.title}>
        {props.stages.map((stage) => (
          <div key={stage.name} className="funnel-row">
            <span className="funnel-name">{stage.name}</span>
            <span className="funnel-track">
              <span
                className="funnel-band"
                style={{ width: `${Math.max(12, (100 * stage.count) / max)}%`, background: stage.color }}
              >
                {stage.count}
              </span>
            </span>
            <span className="funnel-note">{stage.note}</span>
          </div>
        ))}
      </div>
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
