import { BatchWriteCommand, execute as executeBatchWrite } from 'dynamodb-toolbox/table/actions/batchWrite'
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { BatchGetCommand, execute as executeBatchGet } from 'dynamodb-toolbox/table/actions/batchGet'
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet'
import Papa from 'papaparse'
import { AppError } from '../../core/errors.js'
import { unquoteFormula } from './csv-formulas.js'
import { ImportPartEntity } from '../../db/entities/imports.js'
import { table } from '../../db/table.js'

/**
 * Reading an uploaded table (CSV in UTF-8 with or without BOM, or in GBK as Excel in China saves it;
 * XLSX through exceljs' zip reader) and keeping the upload so a resumed import can read it again.
 */

export type FileType = 'csv' | 'xlsx'

export interface ParsedTable {
  headers: string[]
  /** data rows with their row number in the file (the header is row 1); blank rows are left out */
  rows: { row: number; cells: string[] }[]
}

export const MAX_ROWS = 20_000

export function fileTypeOf(bytes: Buffer, fileName: string): FileType {
  // XLSX is a zip: "PK\x03\x04"
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'xlsx'
  if (/\.xlsx?$/i.test(fileName)) {
    throw new AppError(
      415,
      'import.unsupported_file',
      '无法读取该 Excel 文件，请另存为 .xlsx 或 CSV 后再导入',
    )
  }
  return 'csv'
}

/**
 * UTF-8 (BOM or not) when the bytes are valid UTF-8, else GB18030 (a superset of GBK; Node's own
 * decoder, from its ICU).
 */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8')
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return new TextDecoder('gb18030').decode(bytes)
  }
}

const tooMany = () =>
  new AppError(413, 'import.too_many_rows', `单个文件最多导入 ${MAX_ROWS} 行，请拆分后分批导入`)
const isBlank = (cells: string[]) => cells.every((c) => c === '')

function parseCsv(bytes: Buffer): ParsedTable {
  const { data } = Papa.parse<string[]>(decodeText(bytes), { skipEmptyLines: false })
  const lines = data.map((cells) => cells.map((c) => (c ?? '').trim()))
  const headerAt = lines.findIndex((cells) => !isBlank(cells))
  if (headerAt < 0) return { headers: [], rows: [] }
  const rows: ParsedTable['rows'] = []
  for (let i = headerAt + 1; i < lines.length; i++) {
    if (isBlank(lines[i])) continue
    if (rows.length === MAX_ROWS) throw tooMany()
    // without the `'` an export put before a formula-like cell (csv-formulas.ts)
    rows.push({ row: i + 1, cells: lines[i].map(unquoteFormula) })
  }
  return { headers: lines[headerAt], rows }
}

/** A cell as text: dates as YYYY-MM-DD, formulas by their result, rich text joined. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'object') {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string }
    if (v.richText)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim()
    if ('result' in v) return cellText(v.result)
    if (v.text !== undefined) return cellText(v.text)
    if (v.error) return ''
  }
  return String(value).trim()
}

/**
 * The whole workbook through exceljs' zip reader (random access, so it never depends on the order of the
 * zip entries). Its streaming reader loses entries now and then when the input ends while an entry is
 * being read (about 1 in 400 small files here) and then fails or reads the sheet without its shared
 * strings; on a 20 000-row file the two peak within 10 MB of each other.
 */
async function parseXlsx(bytes: Buffer): Promise<ParsedTable> {
  // loaded on first use: the function's other routes never need it (see scripts/build.ts)
  const { default: ExcelJS } = await import('exceljs')
  const workbook = new ExcelJS.Workbook()
  try {
    // exceljs stops reading a sheet past maxRows <row>s, so an oversized file fails before it fills memory;
    // the slack lets blank and formatted-only rows through to the exact count below
    await workbook.xlsx.load(
      bytes as unknown as ArrayBuffer,
      {
        maxRows: MAX_ROWS + 1_000,
        ignoreNodes: ['dataValidations', 'conditionalFormatting', 'hyperlinks', 'drawing', 'picture'],
      } as Parameters<typeof workbook.xlsx.load>[1],
    )
  } catch (error) {
    if (error instanceof Error && /Max row count/.test(error.message)) throw tooMany()
    throw error
  }
  // the first worksheet is the data; the rest (notes, lists) are not read
  const worksheet = workbook.worksheets[0]
  let headers: string[] | undefined
  const rows: ParsedTable['rows'] = []
  worksheet?.eachRow((row) => {
    const values = (row.values as unknown[]).slice(1).map(cellText)
    if (isBlank(values)) return
    if (!headers) {
      headers = values
      return
    }
    if (rows.length === MAX_ROWS) throw tooMany()
    rows.push({ row: row.number, cells: values })
  })
  return { headers: headers ?? [], rows }
}

export async function parseTable(bytes: Buffer, type: FileType): Promise<ParsedTable> {
  try {
    return type === 'xlsx' ? await parseXlsx(bytes) : parseCsv(bytes)
  } catch (error) {
    if (error instanceof AppError) throw error
    throw new AppError(400, 'import.unreadable_file', '文件无法读取，请确认是 CSV 或 XLSX 格式')
  }
}

// ------------------------------------------------------------------------------------ file store

/**
 * Where an upload waits for the import (and a resume) to read it. Local mode and this version keep it in
 * the table, in ≤ 350 KB items next to the job (one BatchWriteItem per 25 chunks; a 20 MB file is 58
 * items). A production deployment with many large files would rather put it in OSS (one object per job,
 * `imports/<tenant>/<job>`, read back with a ranged GET) behind this same interface: the table is then
 * spared the write units, and nothing else changes.
 */
export interface ImportFileStore {
  /** stores the bytes; returns how many chunks were written */
  put(tenantId: string, jobId: string, bytes: Buffer, expiresAt: number): Promise<number>
  get(tenantId: string, jobId: string, chunks: number): Promise<Buffer>
}

const CHUNK_BYTES = 350 * 1024
const chunkPart = (i: number) => `FILE#${String(i).padStart(4, '0')}`

export const tableFileStore: ImportFileStore = {
  async put(tenantId, jobId, bytes, expiresAt) {
    const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK_BYTES))
    const requests = Array.from({ length: chunks }, (_, i) =>
      ImportPartEntity.build(BatchPutRequest).item({
        tenantId,
        jobId,
        part: chunkPart(i),
        data: new Uint8Array(bytes.subarray(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES)),
        expiresAt,
      }),
    )
    // a batch is 16 MB at most: 40 chunks of 350 KB fit
    for (let i = 0; i < requests.length; i += 25) {
      const batch = requests.slice(i, i + 25)
      await executeBatchWrite({ maxAttempts: 5 }, table.build(BatchWriteCommand).requests(...batch))
    }
    return chunks
  },
  async get(tenantId, jobId, chunks) {
    const parts: Buffer[] = []
    for (let i = 0; i < chunks; i += 25) {
      const keys = Array.from({ length: Math.min(25, chunks - i) }, (_, k) =>
        ImportPartEntity.build(BatchGetRequest).key({ tenantId, jobId, part: chunkPart(i + k) }),
      )
      const { Responses } = await executeBatchGet(
        { maxAttempts: 5 },
        table.build(BatchGetCommand).requests(...(keys as [(typeof keys)[number]])),
      )
      for (const item of (Responses?.[0] ?? []) as ({ data?: Uint8Array } | undefined)[]) {
        if (!item?.data) throw new AppError(410, 'import.file_expired', '导入文件已过期，请重新上传')
        parts.push(Buffer.from(item.data))
      }
    }
    return Buffer.concat(parts)
  },
}
