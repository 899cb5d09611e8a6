import Papa from 'papaparse'
import { PassThrough } from 'node:stream'
import type * as z from 'zod'
import { nounLabel } from '../../../shared/nouns.js'
import { chinaToday } from '../../../shared/view/format.js'
import {
  type Column,
  type ContactFilter,
  type CustomerFilter,
  type FollowUpFilter,
  type ExportCollection,
  type ExportFormat,
  customColumns,
  importColumns,
  type LeadFilter,
  type ProductFilter,
} from '../../../shared/schemas/index.js'
import { now } from '../../core/clock.js'
import { definedFields } from '../imports/fields.js'
import type { Session } from '../../core/context.js'
import type { StoredRecord } from '../../db/collection.js'
import { getRecords, listRecords } from '../../db/records.js'
import { productFilter, Products } from '../catalog/catalog.js'
import { contactFilter, Contacts } from '../contacts/record.js'
import { listChildren } from '../customers/children.js'
import { FORMULA_START } from '../imports/csv-formulas.js'
import { Customers } from '../customers/record.js'
import { listCustomers } from '../customers/list.js'
import { listLeads } from '../leads/record.js'
import { directoryNames } from '../directory/names.js'
import { Contracts, listContracts } from '../contracts/record.js'
import { heldDealSettings } from '../deals/settings.js'
import { type DirectoryUser, listDirectory } from '../directory/sessions.js'
import { FollowUps, followUpFilter } from '../followups/record.js'
import { listInvoices } from '../invoices/record.js'
import { listOpportunities } from '../opportunities/record.js'
import { listPlans } from '../payment-plans/record.js'
import { listPayments } from '../payments/record.js'
import { listTargets } from '../targets/record.js'
import { TAG } from '../../db/entities/record.js'
import { UserEntity } from '../../db/entities/directory.js'

/**
 * 导出: the list the caller may see, with the list route's own filters, as XLSX or CSV. Pages come one
 * Query at a time (the list verbs, so scope and filters are the list's) and go straight into the file
 * writer; only the finished file is held, since a function's answer is one body.
 */

export interface FileBody {
  body: Buffer
  contentType: string
  filename: string
}

type Row = StoredRecord
type PageOf = (cursor: string | undefined) => Promise<{ items: Row[]; nextCursor: string | null }>

const PAGE = 200
/** an export stops here: past it, a narrower filter (or the import template) serves better */
export const MAX_EXPORT_ROWS = 50_000

function pagesOf(session: Session, collection: ExportCollection, query: Record<string, unknown>): PageOf {
  const q = { ...query, limit: PAGE }
  switch (collection) {
    case 'customers':
    case 'pool':
      return (cursor) =>
        listCustomers(
          session,
          { ...(q as z.output<typeof CustomerFilter>), cursor },
          { pool: collection === 'pool' },
        )
    case 'leads':
      return (cursor) => listLeads(session, { ...(q as z.output<typeof LeadFilter>), cursor })
    case 'contacts':
      return async (cursor) => {
        const f = { ...(q as z.output<typeof ContactFilter>), limit: 100, cursor }
        const page = await listChildren(Contacts, session, f, contactFilter(f))
        // the customer's name, as the import reads it back (one BatchGetItem per page)
        const customers = await getRecords(
          Customers,
          session.tenantId,
          page.items.map((c) => c.customerId),
        )
        return {
          nextCursor: page.nextCursor,
          items: page.items.map((c) => ({
            ...c,
            customerName: customers.get(c.customerId)?.name,
          })),
        }
      }
    case 'products':
      return (cursor) =>
        listRecords(Products, session, {
          limit: PAGE,
          cursor,
          filter: productFilter(q as z.output<typeof ProductFilter>),
        })
    default:
      return named(session, dealPages[collection](session, q))
  }
}

type ListVerb = (session: Session, query: never) => Promise<{ items: object[]; nextCursor: string | null }>
const pages =
  (list: ListVerb) =>
  (session: Session, q: Record<string, unknown>): PageOf =>
  (cursor) =>
    list(session, { ...q, cursor } as never) as Promise<{ items: Row[]; nextCursor: string | null }>

/** The lists whose rows name the records they point at (`named`), each through its own list verb. */
const dealPages: Record<
  Exclude<ExportCollection, 'customers' | 'pool' | 'leads' | 'contacts' | 'products'>,
  (session: Session, q: Record<string, unknown>) => PageOf
> = {
  opportunities: pages(listOpportunities),
  contracts: pages(listContracts),
  followups: (session, q) => (cursor) => {
    const f = { ...(q as z.output<typeof FollowUpFilter>), limit: 100, cursor }
    return listChildren(FollowUps, session, f, followUpFilter(f)) as Promise<{
      items: Row[]
      nextCursor: string | null
    }>
  },
  'payment-plans': pages(listPlans),
  payments: pages(listPayments),
  invoices: pages(listInvoices),
  targets: pages(listTargets),
}

/**
 * A page whose rows name what they point at, as the import reads them back: the customer by name, the
 * contract by number (one BatchGetItem a page each), people and the stage by name (the directory and the
 * stages, read once per export), a target's months as 1月 … 12月.
 */
function named(session: Session, next: PageOf): PageOf {
  let people: Promise<Map<string, string>> | undefined
  let stages: Promise<Map<string, string>> | undefined
  return async (cursor) => {
    const page = await next(cursor)
    const ids = (field: string) =>
      page.items.map((r) => r[field] as string | undefined).filter((id) => !!id) as string[]
    people ??= listDirectory<DirectoryUser>(UserEntity, TAG.user, session.tenantId).then(
      (users) => new Map(users.map((u) => [u.id, u.name])),
    )
    stages ??= heldDealSettings(session.tenantId).then((s) => new Map(s.stages.map((st) => [st.id, st.name])))
    const [customers, contracts, names, stageNames] = await Promise.all([
      getRecords(Customers, session.tenantId, ids('customerId')),
      getRecords(Contracts, session.tenantId, ids('contractId')),
      people,
      stages,
    ])
    const at = (map: Map<string, { name?: string; number?: string }>, id: unknown) =>
      typeof id === 'string' ? map.get(id) : undefined
    return {
      nextCursor: page.nextCursor,
      items: page.items.map((r) => {
        const months = Array.isArray(r.months) ? (r.months as number[]) : undefined
        return {
          ...r,
          customerName: at(customers, r.customerId)?.name,
          contractNumber: at(contracts, r.contractId)?.number,
          ownerName: typeof r.ownerId === 'string' ? names.get(r.ownerId) : undefined,
          authorName: typeof r.createdBy === 'string' ? names.get(r.createdBy) : undefined,
          stageName: typeof r.stageId === 'string' ? stageNames.get(r.stageId) : undefined,
          subjectName: r.name,
          ...(months && Object.fromEntries(months.map((fen, i) => [`m${i + 1}`, fen]))),
        }
      }),
    }
  }
}

/** Columns of people and departments: a file names them, never by id (负责人 王靓依, not sales1). */
const PEOPLE = new Set(['ownerId', 'assigneeId', 'createdBy', 'collaboratorIds', 'prevOwnerId'])
const DEPTS = new Set(['deptId'])

/** A page's people and departments by name, for the columns that hold them: one BatchGetItem a page. */
async function withNames(tenantId: string, columns: readonly Column[], rows: Row[]): Promise<Row[]> {
  const people = columns.filter((c) => PEOPLE.has(c.field)).map((c) => c.field)
  const depts = columns.filter((c) => DEPTS.has(c.field)).map((c) => c.field)
  if (!people.length && !depts.length) return rows
  const ids = (row: Row, fields: string[]) =>
    fields.flatMap((f) => [row[f]].flat().filter((v): v is string => typeof v === 'string' && v !== ''))
  const names = await directoryNames(tenantId, {
    userIds: rows.flatMap((r) => ids(r, people)),
    deptIds: rows.flatMap((r) => ids(r, depts)),
  })
  const name = (map: Map<string, string>, value: unknown) =>
    Array.isArray(value)
      ? value.map((id) => map.get(String(id)) ?? id).join('、')
      : typeof value === 'string'
        ? (map.get(value) ?? value)
        : value
  return rows.map((row) => ({
    ...row,
    ...Object.fromEntries(people.map((f) => [f, name(names.users, row[f])])),
    ...Object.fromEntries(depts.map((f) => [f, name(names.depts, row[f])])),
  }))
}

const cell = (column: Column, record: Row) => {
  const value = column.field.startsWith('custom.')
    ? (record.custom as Row | undefined)?.[column.field.slice('custom.'.length)]
    : record[column.field]
  if (column.format) return column.format(value)
  return value === undefined || value === null ? '' : String(value)
}

/** a list's label in the file name and sheet: its noun's, and the pool's own */
const label = (list: ExportCollection): string => (list === 'pool' ? '公海客户' : nounLabel(list))

export async function exportCollection(
  session: Session,
  collection: ExportCollection,
  query: Record<string, unknown>,
  format: z.output<typeof ExportFormat>,
): Promise<FileBody> {
  const own = collection === 'pool' ? 'customers' : collection
  const columns = [...importColumns[own], ...customColumns(await definedFields(session.tenantId, own))]
  const headers = columns.map((c) => c.headers[0])
  const nextPage = pagesOf(session, collection, query)
  const sink = new PassThrough()
  const chunks: Buffer[] = []
  sink.on('data', (chunk: Buffer) => chunks.push(chunk))
  const finished = new Promise((resolve, reject) => sink.on('end', resolve).on('error', reject))
  let written = 0
  const eachPage = async (write: (rows: string[][]) => void) => {
    let cursor: string | undefined
    do {
      const page = await nextPage(cursor)
      const named = await withNames(session.tenantId, columns, page.items.slice(0, MAX_EXPORT_ROWS - written))
      const rows = named.map((r) => columns.map((c) => cell(c, r)))
      write(rows)
      written += rows.length
      cursor = page.nextCursor ?? undefined
    } while (cursor && written < MAX_EXPORT_ROWS)
  }
  if (format === 'xlsx') {
    const workbook = await xlsxWriter(sink)
    const sheet = workbook.addWorksheet(label(collection))
    sheet.addRow(textCells(headers)).commit()
    await eachPage((rows) => rows.forEach((r) => sheet.addRow(textCells(r)).commit()))
    sheet.commit()
    await workbook.commit()
  } else {
    // a BOM, so Excel opens the Chinese as UTF-8
    sink.write('\uFEFF' + Papa.unparse([headers]) + '\r\n')
    // a cell Excel would run as a formula goes after a `'` (csv-formulas.ts; the import takes it off)
    await eachPage(
      (rows) => rows.length && sink.write(Papa.unparse(rows, { escapeFormulae: FORMULA_START }) + '\r\n'),
    )
    sink.end()
  }
  await finished
  const day = chinaToday(now()) // the file's date on the clock seam, in China time
  return {
    body: Buffer.concat(chunks),
    contentType:
      format === 'xlsx'
        ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
        : 'text/csv; charset=utf-8',
    filename: `${label(collection)}-${day}.${format}`,
  }
}

/**
 * A streaming XLSX writer into `sink`. exceljs is loaded on first use: the function's other routes never
 * need it (see scripts/build.ts).
 */
async function xlsxWriter(sink: PassThrough) {
  const { default: ExcelJS } = await import('exceljs')
  return new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useStyles: false, useSharedStrings: false })
}

/**
 * Text as XLSX inline string cells (`t="inlineStr"`). exceljs writes a plain string as `t="str"`, which
 * the format defines as a formula's cached result; an inline string is text by definition, whatever it
 * starts with (`=HYPERLINK(...)` stays a name), and streams like the rest.
 */
const textCells = (values: string[]) => values.map((text) => ({ richText: [{ text }] }))

/** The failed rows of an import as an XLSX to fix and upload again: the file's columns + 错误原因. */
export async function errorReport(
  headers: string[],
  rows: AsyncIterable<{ row: number; message: string; cells: string[] }>,
  fileName: string,
): Promise<FileBody> {
  const sink = new PassThrough()
  const chunks: Buffer[] = []
  sink.on('data', (chunk: Buffer) => chunks.push(chunk))
  const finished = new Promise((resolve, reject) => sink.on('end', resolve).on('error', reject))
  const workbook = await xlsxWriter(sink)
  const sheet = workbook.addWorksheet('导入失败的行')
  sheet.addRow(textCells([...headers, '错误原因'])).commit()
  for await (const { cells, message } of rows) {
    const padded = headers.map((_, i) => cells[i] ?? '')
    sheet.addRow(textCells([...padded, message])).commit()
  }
  sheet.commit()
  await workbook.commit()
  await finished
  return {
    body: Buffer.concat(chunks),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    filename: `${fileName.replace(/\.[^.]+$/, '')}-错误报告.xlsx`,
  }
}
