import { formatDate, formatDateTime, formatMoney } from '../../../shared/view/format.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { TAG } from '../../db/entities/record.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { type DirectoryDept, type DirectoryUser, listDirectory } from '../directory/sessions.js'

/**
 * 打印: the A4 page every print shares — Chinese typesetting (a CJK font stack, 1.6 line height, no
 * hyphenation), tables whose rows and field blocks never break across pages (`break-inside: avoid`,
 * the header row repeated on each page), and on every page the company name and the print time in the
 * footer. The record's sections are plain HTML; every text is escaped.
 */

export const escape = (text: unknown): string =>
  String(text ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

export const money = (fen: unknown) => (typeof fen === 'number' ? formatMoney(fen) : '—')
export const date = (day: unknown) => (typeof day === 'string' && day ? formatDate(day) : '—')
export const dateTime = (at: unknown) => (typeof at === 'string' && at ? formatDateTime(at) : '—')

/** Who is who: the people and departments of the tenant by id, and the company (the root department). */
export interface Directory {
  person(id: unknown): string
  dept(id: unknown): string
  company: string
}

export async function readDirectory(session: Session): Promise<Directory> {
  const [users, depts] = await Promise.all([
    listDirectory<DirectoryUser>(UserEntity, TAG.user, session.tenantId),
    listDirectory<DirectoryDept>(DeptEntity, TAG.dept, session.tenantId),
  ])
  const people = new Map(users.map((u) => [u.id, u.name]))
  const units = new Map(depts.map((d) => [d.id, d.name]))
  const name = (names: Map<string, string>) => (id: unknown) =>
    typeof id === 'string' && id ? (names.get(id) ?? '—') : '—'
  return {
    person: name(people),
    dept: name(units),
    company: depts.find((d) => d.path.length <= 1)?.name ?? '',
  }
}

/** A block of label–value pairs, two to a row. */
export function fields(pairs: [string, string][]): string {
  const cells = pairs.map(
    ([label, value]) => `<div class="field"><span>${escape(label)}</span><b>${escape(value)}</b></div>`,
  )
  return `<div class="fields">${cells.join('')}</div>`
}

/** A titled table; `empty` when it has no rows. */
export function table(title: string, head: string[], rows: string[][], { numeric = [] as number[] } = {}) {
  const th = head.map((h, i) => `<th${numeric.includes(i) ? ' class="num"' : ''}>${escape(h)}</th>`).join('')
  const body = rows.length
    ? rows
        .map(
          (r) =>
            `<tr>${r.map((c, i) => `<td${numeric.includes(i) ? ' class="num"' : ''}>${escape(c)}</td>`).join('')}</tr>`,
        )
        .join('')
    : `<tr><td colspan="${head.length}" class="empty">无</td></tr>`
  return `<section><h2>${escape(title)}</h2><table><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></section>`
}

export function section(title: string, body: string) {
  return `<section><h2>${escape(title)}</h2>${body}</section>`
}

const STYLE = `
@page { size: A4; margin: 16mm 14mm 20mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0 auto; max-width: 182mm; padding: 8mm 0 20mm; color: #111;
  font-family: "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC",
    "WenQuanYi Micro Hei", sans-serif;
  font-size: 10.5pt; line-height: 1.6; text-align: justify; hyphens: none; word-break: break-all; }
h1 { font-size: 18pt; text-align: center; letter-spacing: 0.1em; margin: 0 0 4mm; }
.subtitle { text-align: center; color: #555; margin: 0 0 6mm; }
h2 { font-size: 12pt; border-left: 3pt solid #333; padding-left: 2mm; margin: 6mm 0 2mm; break-after: avoid; }
.fields { display: grid; grid-template-columns: 1fr 1fr; column-gap: 8mm; }
.field { display: flex; gap: 3mm; padding: 1.2mm 0; border-bottom: 0.5pt solid #ddd; break-inside: avoid; }
.field span { color: #555; white-space: nowrap; min-width: 22mm; }
.field b { font-weight: 500; }
table { width: 100%; border-collapse: collapse; }
thead { display: table-header-group; }
tr, td, th { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.5pt solid #999; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
th { background: #f2f2f2; font-weight: 600; }
.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.empty { color: #888; text-align: center; }
.total td { font-weight: 600; }
footer { position: fixed; left: 0; right: 0; bottom: 0; display: flex; justify-content: space-between;
  font-size: 8.5pt; color: #555; border-top: 0.5pt solid #999; padding: 1.5mm 14mm 0; background: #fff; }
.toolbar { text-align: right; margin-bottom: 4mm; }
.toolbar button { font: inherit; padding: 1mm 4mm; }
@media print { .toolbar { display: none; } body { padding-top: 0; } }
`

/** The whole page: title, sections, footer; `?autoprint` opens the print dialog once it is shown. */
export function page({
  title,
  subtitle,
  body,
  directory,
}: {
  title: string
  subtitle?: string
  body: string
  directory: Directory
}): string {
  const printedAt = formatDateTime(nowIso())
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title><style>${STYLE}</style></head>
<body>
<div class="toolbar"><button type="button" onclick="window.print()">打印</button></div>
<h1>${escape(title)}</h1>
${subtitle ? `<p class="subtitle">${escape(subtitle)}</p>` : ''}
${body}
<footer><span>${escape(directory.company)}</span><span>打印时间：${escape(printedAt)}</span></footer>
<script>if (/[?&]autoprint\\b/.test(location.search)) addEventListener('load', () => print())</script>
</body></html>`
}
