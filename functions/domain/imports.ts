import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { $ADD } from 'dynamodb-toolbox/entity/actions/update/symbols'
import { BatchWriteCommand, execute as executeBatchWrite } from 'dynamodb-toolbox/table/actions/batchWrite'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { ulid } from 'ulid'
import type * as z from 'zod'
import type { ImportJob } from '../../shared/schemas/index.js'
import {
  type Column,
  type ImportCollection,
  type ImportPolicy,
  type ImportTarget,
  importColumns,
  mapHeaders,
} from '../../shared/schemas/index.js'
import { now, nowIso } from '../core/clock.js'
import type { Session } from '../core/context.js'
import { AppError, conflict, notFound } from '../core/errors.js'
import { log } from '../core/log.js'
import { commit, type Write } from '../db/commit.js'
import { CounterEntity, type CounterChange, counterWrite } from '../db/counters.js'
import { ImportJobEntity, ImportPartEntity } from '../db/entities/imports.js'
import { tenantKey, TAG } from '../db/entities/record.js'
import { table } from '../db/table.js'
import {
  fileTypeOf,
  type ImportFileStore,
  parseTable,
  type ParsedTable,
  tableFileStore,
} from './import-files.js'
import { type ImportContext, importers } from './importers.js'

/**
 * 导入任务. An upload becomes a job: the file is kept (import-files.ts), then the rows are imported a
 * chunk at a time. Each row is its own transaction (the record with everything kept alongside it and its
 * timeline entry, under an id fixed by job and row); each chunk ends with a checkpoint transaction that
 * moves the job forward (`processed`, the counts, guarded by `version`) together with the chunk's list
 * counters — summed per chunk, since every row of an import counts in the same few counters and row
 * transactions touching them would conflict with each other. A run stops after a time budget and the
 * job stays `running`; `POST /api/imports/{id}/resume` runs it on from its checkpoint. Rows done after the
 * last checkpoint are redone: a created row finds its id taken and counts as created (its counters then
 * land with the next checkpoint), an update applies the same values again, so nothing is duplicated.
 *
 * Resume is driven by the client (the apps poll `GET` and call `resume` while the job is `running` and
 * its lease has lapsed), not by the scheduler: an import is one person's action, and a client that went
 * away leaves a job that simply waits a week (TTL) for its importer to resume it.
 */

type JobItem = Omit<z.output<typeof ImportJob>, 'errorReportUrl' | 'message' | 'target'> & {
  tenantId: string
  userId: string
  target?: ImportTarget
  mapping?: Record<string, string>
  message?: string
  fileType: 'csv' | 'xlsx'
  fileChunks: number
  headers: string[]
  leaseUntil?: string
  version: number
  expiresAt: number
}

const TTL_SECONDS = 7 * 24 * 3600
/** rows per checkpoint: a checkpoint transaction holds the job and at most one counter per row */
const CHUNK_ROWS = 50
/** rows in flight at once within a chunk */
const ROW_CONCURRENCY = 16
/** failed rows listed on the job itself (the error report has them all) */
const LISTED_ERRORS = 100
/** a run's time budget: below Function Compute's timeout, with room to write the last checkpoint */
const budgetMs = () => Number(process.env.IMPORT_BUDGET_MS ?? 20_000)
/** a job's lease outlives its run's budget by this much, then another run may take over */
const LEASE_MARGIN_MS = 30_000

let fileStore: ImportFileStore = tableFileStore
/** The file store (OSS in a deployment that configures one; the table by default). */
export const setImportFileStore = (store: ImportFileStore) => {
  fileStore = store
}

// ------------------------------------------------------------------------------------- the job

export const errorReportPath = (id: string) => `/api/imports/${id}/errors.xlsx`

export function toJob(item: JobItem): z.output<typeof ImportJob> {
  return {
    id: item.id,
    collection: item.collection,
    status: item.status,
    policy: item.policy,
    target: item.target ?? null,
    fileName: item.fileName,
    total: item.total,
    processed: item.processed,
    created: item.created,
    updated: item.updated,
    skipped: item.skipped,
    failed: item.failed,
    errors: item.errors,
    errorReportUrl: item.failed > 0 ? errorReportPath(item.id) : null,
    message: item.message ?? null,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  }
}

/** The caller's job; anyone else's (another user, another tenant) does not exist. */
export async function getJobItem(session: Session, id: string): Promise<JobItem> {
  const { Item } = await ImportJobEntity.build(GetItemCommand)
    .key({ tenantId: session.tenantId, id })
    .options({ consistent: true })
    .send()
  if (!Item || Item.userId !== session.userId) throw notFound('import', '导入任务不存在')
  return Item as unknown as JobItem
}

const putJob = (job: JobItem) => ImportJobEntity.build(PutTransaction).item(job as never)

// --------------------------------------------------------------------------------- rows → input

interface RowInput {
  row: number
  cells: string[]
  /** the fields the row fills (before the input schema's defaults) */
  present: string[]
  input?: Record<string, unknown>
  error?: string
}

/** A row's cells as the collection's input: column parsers, then the shared zod input schema. */
function readRow(
  collection: ImportCollection,
  table: { headers: string[]; columns: (Column | undefined)[] },
  { row, cells }: { row: number; cells: string[] },
): RowInput {
  const { headers, columns } = table
  const importer = importers[collection]
  const raw: Record<string, unknown> = {}
  columns.forEach((column, i) => {
    const text = cells[i] ?? ''
    if (!column || text === '') return
    raw[column.field] = column.parse ? column.parse(text) : text
  })
  const parsed = importer.input.safeParse(raw)
  if (parsed.success) return { row, cells, present: Object.keys(raw), input: parsed.data }
  const issue = parsed.error.issues[0]
  const field = String(issue.path[0] ?? '')
  // named as the file names it
  const at = columns.findIndex((c) => c?.field === field)
  const header = at >= 0 ? headers[at] : undefined
  return { row, cells, present: [], error: header ? `「${header}」${issue.message}` : issue.message }
}

/** The id a row's record gets: the job's id with the row number in place of its last 8 characters. */
export function rowRecordId(jobId: string, row: number): string {
  const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
  let tail = ''
  for (let n = row, i = 0; i < 8; i++, n = Math.floor(n / 32)) tail = CROCKFORD[n % 32] + tail
  return jobId.slice(0, 18) + tail
}

/** Raised by a created row's Put when the record is already there: this job wrote it in an earlier run. */
class AlreadyImported extends Error {}

/**
 * The counter change a counter write carries, so a chunk's changes can be summed into one write each. A
 * capped counter (a unique name) stays in its row's transaction: its cap is the row's to fail on.
 */
function counterChangeOf(write: Write): CounterChange | undefined {
  if (write.action.entity !== CounterEntity || write.onConditionFail) return undefined
  const item = (write.action as UpdateTransaction).params().ToolboxItem as Record<string, unknown>
  const delta = (item.count as Record<symbol, number>)[$ADD]
  const index = (['gsi1', 'gsi2', 'gsi3'] as const).find((i) => item[`${i}pk`])
  return {
    name: item.name as string,
    delta,
    listedIn: index && {
      index,
      pk: item[`${index}pk`] as string,
      sk: item[`${index}sk`] as string,
      altsk: item.altsk as string | undefined,
    },
  }
}

type Outcome = 'created' | 'updated' | 'skipped'

/** Imports one valid row: 查重 per the policy, then one transaction (create) or the domain's update verb. */
async function importRow(
  ctx: ImportContext & { collection: ImportCollection; policy: ImportPolicy; jobId: string },
  row: RowInput,
): Promise<{ outcome: Outcome; counters: CounterChange[] }> {
  const importer = importers[ctx.collection]
  const id = rowRecordId(ctx.jobId, row.row)
  const input = row.input!
  if (ctx.policy !== 'create') {
    const match = await importer.match(ctx, input, id)
    if (match && ctx.policy === 'skip') return { outcome: 'skipped', counters: [] }
    if (match) {
      const changes = Object.fromEntries(row.present.map((f) => [f, input[f]]))
      const changed = await importer.update(ctx, match, changes)
      return { outcome: changed ? 'updated' : 'skipped', counters: [] }
    }
  }
  const writes = await importer.create(ctx, input, id)
  writes[0] = { ...writes[0], onConditionFail: () => new AlreadyImported() }
  const counters = writes.map(counterChangeOf)
  try {
    await commit(writes.filter((_, i) => !counters[i]))
  } catch (error) {
    if (!(error instanceof AlreadyImported)) throw error
  }
  return { outcome: 'created', counters: counters.filter((c): c is CounterChange => !!c) }
}

const rowMessage = (error: unknown) =>
  error instanceof AppError && error.status < 500 ? error.message : '写入失败，请稍后重试'

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}

/** Failed rows as items of the job (idempotent puts: a redone chunk writes the same items). */
async function saveErrors(job: JobItem, failed: { row: number; cells: string[]; message: string }[]) {
  for (let i = 0; i < failed.length; i += 25) {
    const requests = failed.slice(i, i + 25).map((f) =>
      ImportPartEntity.build(BatchPutRequest).item({
        tenantId: job.tenantId,
        jobId: job.id,
        part: `ERR#${String(f.row).padStart(6, '0')}`,
        row: f.row,
        message: f.message,
        cells: f.cells,
        expiresAt: job.expiresAt,
      }),
    )
    await executeBatchWrite({ maxAttempts: 5 }, table.build(BatchWriteCommand).requests(...requests))
  }
}

export interface RunOptions {
  budgetMs?: number
  /** tests: runs before a chunk's checkpoint is written (a throw there is a crash after the rows) */
  beforeCheckpoint?: (job: { id: string; processed: number }) => void
}

/**
 * Runs a job on from its checkpoint until it is done or the time budget is spent. A job another run holds
 * (its lease not yet lapsed) is answered as it is.
 */
export async function runImport(
  session: Session,
  id: string,
  options: RunOptions = {},
): Promise<z.output<typeof ImportJob>> {
  const started = now()
  const budget = options.budgetMs ?? budgetMs()
  let job = await getJobItem(session, id)
  if (job.status !== 'running' || (job.leaseUntil && job.leaseUntil > nowIso())) return toJob(job)
  // Take the lease: of two resumes, one runs.
  job = await advance(job, { leaseUntil: new Date(started + budget + LEASE_MARGIN_MS).toISOString() })
  let sheet: ParsedTable
  try {
    sheet = await parseTable(await fileStore.get(job.tenantId, job.id, job.fileChunks), job.fileType)
  } catch (error) {
    return toJob(await advance(job, { status: 'failed', message: rowMessage(error), leaseUntil: undefined }))
  }
  const collection = job.collection
  const columns = mapHeaders(collection, sheet.headers, job.mapping)
  const ctx = {
    session,
    target: job.target ?? 'mine',
    cache: new Map<string, unknown>(),
    collection,
    policy: job.policy,
    jobId: job.id,
  }
  const seen = new Map<string, number>()
  while (job.processed < sheet.rows.length) {
    const rows = sheet.rows
      .slice(job.processed, job.processed + CHUNK_ROWS)
      .map((r) => readRow(collection, { headers: sheet.headers, columns }, r))
    const counts = { created: 0, updated: 0, skipped: 0 }
    const failed: { row: number; cells: string[]; message: string }[] = []
    const counters = new Map<string, CounterChange>()
    const toImport: RowInput[] = []
    for (const row of rows) {
      if (row.error) {
        failed.push({ row: row.row, cells: row.cells, message: row.error })
        continue
      }
      // a row repeating an earlier row of this file: that row's record is the match
      const keys = importers[collection].keys(row.input!)
      const earlier = keys.map((k) => seen.get(k)).find((r) => r !== undefined)
      keys.forEach((k) => seen.set(k, seen.get(k) ?? row.row))
      if (earlier !== undefined && job.policy !== 'create') counts.skipped++
      else toImport.push(row)
    }
    await pool(toImport, ROW_CONCURRENCY, async (row) => {
      try {
        const result = await importRow(ctx, row)
        counts[result.outcome]++
        for (const c of result.counters) {
          const sum = counters.get(c.name)
          counters.set(c.name, { ...c, delta: (sum?.delta ?? 0) + c.delta })
        }
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) {
          log('warn', 'import.row_failed', { job: job.id, row: row.row, error: (error as Error).message })
        }
        failed.push({ row: row.row, cells: row.cells, message: rowMessage(error) })
      }
    })
    failed.sort((a, b) => a.row - b.row)
    await saveErrors(job, failed)
    const processed = job.processed + rows.length
    const done = processed >= sheet.rows.length
    const stop = done || now() - started >= budget
    options.beforeCheckpoint?.({ id: job.id, processed })
    job = await advance(
      job,
      {
        processed,
        created: job.created + counts.created,
        updated: job.updated + counts.updated,
        skipped: job.skipped + counts.skipped,
        failed: job.failed + failed.length,
        errors: [...job.errors, ...failed.map(({ row, message }) => ({ row, message }))].slice(
          0,
          LISTED_ERRORS,
        ),
        ...(done && { status: 'done' as const }),
        ...(stop && { leaseUntil: undefined }),
      },
      [...counters.values()].filter((c) => c.delta !== 0).map((c) => counterWrite(job.tenantId, c)),
    )
    if (stop) break
  }
  return toJob(job)
}

/** The job moved forward, written only over the version it was read at (with the chunk's counters). */
async function advance(job: JobItem, changes: Partial<JobItem>, extraWrites: Write[] = []): Promise<JobItem> {
  const next: JobItem = { ...job, ...changes, updatedAt: nowIso(), version: job.version + 1 }
  await commit([
    {
      action: putJob(next).options({ condition: { attr: 'version', eq: job.version } }),
      onConditionFail: () => conflict('import.busy', '该导入任务正由另一次请求处理，请稍后刷新进度'),
    },
    ...extraWrites,
  ])
  return next
}

// ---------------------------------------------------------------------------------- start a job

export interface Upload {
  fileName: string
  bytes: Buffer
}

/** Checks the file, keeps it, makes the job and runs it for one time budget. */
export async function startImport(
  session: Session,
  collection: ImportCollection,
  form: { policy: ImportPolicy; target: ImportTarget; mapping?: Record<string, string> },
  upload: Upload,
  options: RunOptions = {},
): Promise<z.output<typeof ImportJob>> {
  const fileType = fileTypeOf(upload.bytes, upload.fileName)
  const parsed = await parseTable(upload.bytes, fileType)
  if (parsed.rows.length === 0) throw new AppError(400, 'import.empty', '文件中没有可导入的数据行')
  const fields = new Set(importColumns[collection].filter((c) => !c.exportOnly).map((c) => c.field))
  const unknown = Object.values(form.mapping ?? {}).filter((f) => !fields.has(f))
  if (unknown.length) {
    throw new AppError(400, 'validation.failed', `mapping 中的字段不存在：${unknown.join('、')}`)
  }
  const mapped = new Set(mapHeaders(collection, parsed.headers, form.mapping).map((c) => c?.field))
  const missing = importers[collection].required.filter((f) => !mapped.has(f))
  if (missing.length) {
    const names = missing.map((f) => importColumns[collection].find((c) => c.field === f)!.headers[0])
    throw new AppError(400, 'import.missing_columns', `文件缺少必填列：${names.join('、')}`, { missing })
  }
  const id = ulid()
  const expiresAt = Math.floor(now() / 1000) + TTL_SECONDS
  const fileChunks = await fileStore.put(session.tenantId, id, upload.bytes, expiresAt)
  const at = nowIso()
  const job: JobItem = {
    tenantId: session.tenantId,
    id,
    collection,
    userId: session.userId,
    status: 'running',
    policy: form.policy,
    target: collection === 'customers' ? form.target : undefined,
    mapping: form.mapping,
    fileName: upload.fileName.slice(0, 200),
    fileType,
    fileChunks,
    headers: parsed.headers,
    total: parsed.rows.length,
    processed: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    errors: [],
    createdAt: at,
    updatedAt: at,
    version: 1,
    expiresAt,
  }
  await ImportJobEntity.build(PutItemCommand)
    .item(job as never)
    .options({ condition: { attr: 'id', exists: false } })
    .send()
  return runImport(session, id, options)
}

// ------------------------------------------------------------------------------- error report

/** The failed rows of a job, in row order, a page (one Query) at a time. */
export async function* failedRows(session: Session, job: JobItem) {
  let start: Record<string, unknown> | undefined
  do {
    const { Items = [], LastEvaluatedKey } = await table
      .build(QueryCommand)
      .entities(ImportPartEntity)
      .query({ partition: tenantKey(session.tenantId, TAG.importJob, job.id), range: { beginsWith: 'ERR#' } })
      .options({ exclusiveStartKey: start, limit: 500 })
      .send()
    for (const item of Items) yield { row: item.row!, message: item.message!, cells: item.cells ?? [] }
    start = LastEvaluatedKey
  } while (start)
}
