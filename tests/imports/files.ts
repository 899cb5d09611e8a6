import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import type { TestStack } from '../helpers/stack.js'

/** Test files as people make them: an XLSX sheet or a CSV (UTF-8 or GBK), header row first. */
export async function xlsx(rows: (string | number)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('Sheet1')
  for (const row of rows) sheet.addRow(row)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

const csvLine = (row: (string | number)[]) =>
  row.map((cell) => (/[",\n]/.test(String(cell)) ? `"${String(cell).replace(/"/g, '""')}"` : cell)).join(',')

export const csv = (rows: (string | number)[][], encoding: 'utf8' | 'utf8-bom' | 'gbk' = 'utf8'): Buffer => {
  const text = rows.map(csvLine).join('\r\n') + '\r\n'
  if (encoding === 'gbk') return iconv.encode(text, 'gbk')
  return Buffer.from((encoding === 'utf8-bom' ? '\uFEFF' : '') + text, 'utf8')
}

/** A cell's text; exports write text as inline strings, which exceljs reads as rich text. */
const text = (value: unknown): string => {
  if (value === null || value === undefined) return ''
  const rich = (value as { richText?: { text: string }[] }).richText
  return rich ? rich.map((run) => run.text).join('') : String(value)
}

/** Reads an XLSX answer back into rows of text. */
export async function readXlsx(bytes: ArrayBuffer | Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(bytes as ArrayBuffer)
  const rows: string[][] = []
  workbook.worksheets[0].eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1).map(text))
  })
  return rows
}

export interface Job {
  id: string
  status: 'running' | 'done' | 'failed'
  total: number
  processed: number
  created: number
  updated: number
  skipped: number
  failed: number
  errors: { row: number; message: string }[]
  errorReportUrl: string | null
}

/** POSTs a file as multipart/form-data, the way the apps upload it. */
export async function upload(
  t: TestStack,
  token: string,
  collection: string,
  file: Buffer,
  fields: Record<string, string> = {},
  fileName = 'data.xlsx',
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any }> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(file)]), fileName)
  for (const [name, value] of Object.entries(fields)) form.append(name, value)
  const response = await fetch(`${t.baseUrl}/api/imports/${collection}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...headers },
    body: form,
  })
  return { status: response.status, json: await response.json() }
}

/** Resumes a job until it is no longer running (the client's loop). */
export async function finish(t: TestStack, token: string, job: Job): Promise<Job> {
  let current = job
  for (let i = 0; current.status === 'running' && i < 1000; i++) {
    const { status, json } = await t.http('POST', `/api/imports/${current.id}/resume`, { token })
    if (status !== 200) throw new Error(`resume answered ${status}: ${JSON.stringify(json)}`)
    current = json
  }
  return current
}

/** Every item of a list route (its pages). */
export async function listAll<T = any>(t: TestStack, token: string, path: string): Promise<T[]> {
  const items: T[] = []
  let cursor: string | null = null
  do {
    const sep = path.includes('?') ? '&' : '?'
    const url = `${path}${sep}limit=200${cursor ? `&cursor=${cursor}` : ''}`
    const page: { json: { items: T[]; nextCursor: string | null } } = await t.http('GET', url, { token })
    items.push(...page.json.items)
    cursor = page.json.nextCursor
  } while (cursor)
  return items
}

export async function download(t: TestStack, token: string, path: string) {
  const response = await fetch(t.baseUrl + path, { headers: { authorization: `Bearer ${token}` } })
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  }
}
