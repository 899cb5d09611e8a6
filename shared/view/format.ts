/**
 * Formatting both UIs share (the H5 app and the mini-program): money arrives from the API client in
 * integer fen, times as ISO strings; business days are China time (Asia/Shanghai, no daylight saving), so
 * a fixed +08:00 shift needs no Intl time-zone data (the mini-program's JS engine may not have it).
 */

const CHINA_OFFSET_MS = 8 * 3_600_000

/** 123456789 → '¥1,234,567.89'; no value → '—'. Integer arithmetic only: no float rounding of fen. */
export function formatMoney(fen: number | null | undefined, { symbol = '¥' } = {}): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—'
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(Math.round(fen))
  const yuan = Math.floor(abs / 100)
  const cents = String(abs % 100).padStart(2, '0')
  return `${sign}${symbol}${String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${cents}`
}

/** fen → the yuan text a form field starts with: 199990 → '1999.9', 0 → '0', undefined → ''. */
export function fenToYuanText(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return ''
  const yuan = Math.floor(Math.abs(fen) / 100)
  const cents = String(Math.abs(fen) % 100)
    .padStart(2, '0')
    .replace(/0+$/, '')
  return `${fen < 0 ? '-' : ''}${yuan}${cents ? '.' + cents : ''}`
}

const chinaIso = (iso: string): string | undefined => {
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? undefined : new Date(ms + CHINA_OFFSET_MS).toISOString()
}

/** '2026-12-01T01:00:00Z' → '2026-12-01' (China day); a plain date stays as it is. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—'
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value
  return chinaIso(value)?.slice(0, 10) ?? value
}

/** '2026-12-01T01:00:00Z' → '2026-12-01 09:00' (China time). */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—'
  const iso = chinaIso(value)
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : value
}

/** '共有 12 条记录' when the list knows its total; nothing otherwise (lists page by cursor, without counts). */
export const formatCount = (total: number | undefined): string | undefined =>
  total === undefined ? undefined : `共有 ${total} 条记录`

export const formatBoolean = (value: boolean | null | undefined, yes = '是', no = '否'): string =>
  value === null || value === undefined ? '—' : value ? yes : no

/** Today's date in China time: '2026-12-01'. */
export const chinaToday = (nowMs: number = Date.now()): string =>
  new Date(nowMs + CHINA_OFFSET_MS).toISOString().slice(0, 10)

/** '2026-12-01' plus `days` (negative: earlier) → '2026-11-24'. */
export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`)
  return new Date(ms + days * 86_400_000).toISOString().slice(0, 10)
}

/** One choice of a date-range filter: the query's `from`/`to` dates (inclusive). */
export interface DateRangePreset {
  key: string
  label: string
  from?: string
  to?: string
}

/**
 * The choices of a date-range filter (客户's 最近跟进日期, 回款计划's 计划回款日期), computed from today:
 * `past` looks back (30 天以前 = 超过 30 天未跟进), `future` looks ahead (已过期 = before today).
 */
export function dateRangePresets(kind: 'past' | 'future', today: string = chinaToday()): DateRangePreset[] {
  return kind === 'past'
    ? [
        { key: 'today', label: '今天', from: today, to: today },
        { key: '7d', label: '近 7 天', from: addDays(today, -6), to: today },
        { key: '30d', label: '近 30 天', from: addDays(today, -29), to: today },
        { key: 'over30d', label: '30 天以前', to: addDays(today, -30) },
      ]
    : [
        { key: 'today', label: '今天', from: today, to: today },
        { key: '7d', label: '未来 7 天', from: today, to: addDays(today, 6) },
        { key: '30d', label: '未来 30 天', from: today, to: addDays(today, 29) },
        { key: 'overdue', label: '已过期', to: addDays(today, -1) },
      ]
}
