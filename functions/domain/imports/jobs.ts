import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { BatchWriteCommand, execute as executeBatchWrite } from 'dynamodb-toolbox/table/actions/batchWrite'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import {
  BatchGetCommand as RawBatchGetCommand,
  BatchWriteCommand as RawBatchWriteCommand,
} from '@aws-sdk/lib-dynamodb'
import { ulid } from 'ulid'
import type * as z from 'zod'
import type { ImportJob } from '../../../shared/schemas/index.js'
import {
  type Column,
  type ImportCollection,
  type ImportPolicy,
  type ImportTarget,
  importColumns,
  mapHeaders,
} from '../../../shared/schemas/index.js'
import { now, nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { AppError, conflict, isAppError, notFound } from '../../core/errors.js'
import { log } from '../../core/log.js'
import { getDocumentClient } from '../../db/client.js'
import { commit, type Write } from '../../db/commit.js'
import { type CounterChange, counterWrite } from '../../db/counters.js'
import { ImportJobEntity, ImportPartEntity } from '../../db/entities/imports.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { table } from '../../db/table.js'
import { fileTypeOf, type ImportFileStore, parseTable, type ParsedTable, tableFileStore } from './files.js'
import { type ImportContext, importers } from './importers.js'

/**
 * 导入任务. An upload becomes a job: the file is kept (import-files.ts), then the rows are imported a
 * chunk at a time. A new row's record and everything kept alongside it (search entries, recycle clocks,
 * its timeline entry) are the domain's own writes for a create, under keys fixed by job and row; they are
 * written for the whole chunk with BatchWriteItem (`writeNewRows` says why that is safe), and each chunk
 * ends with a checkpoint transaction that moves the job forward (`processed`, the counts, guarded by
 * `version`) together with the chunk's counters — summed per chunk, since every row of an import counts
 * in the same few counters. A run holds the job's lease, stops at its deadline and leaves the job
 * `running` for the next run, which goes on from the checkpoint. Rows done after the last checkpoint are
 * redone: a created row finds its record there and counts as created (its counters then land with the
 * next checkpoint), an update applies the same values again, so nothing is duplicated.
 *
 * The server drives a job to its end: the upload runs it for one request budget, then the scheduler
 * (import-driver.ts) finds it in the sparse index of running jobs whose lease is free and runs it on with
 * what its minute has left, every minute until done. Clients only poll `GET`; `POST .../resume` stays as
 * a manual retry (one more request budget). Two runs at once are harmless: the lease is taken with the
 * job's `version`, so one of them runs; a run whose lease lapsed (a stalled instance) finds its next
 * checkpoint refused by the `version` the new holder moved, stops, and its uncounted rows are the new
 * holder's to redo and count.
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
  gsi3pk?: string
  gsi3sk?: string
}

const TTL_SECONDS = 7 * 24 * 3600
/**
 * rows per checkpoint: its transaction (≤ 100 items) holds the job, one counter per row at most (a
 * customer's name, a contact's customer) and the chunk's shared counters (lists and reports: ≤ 9 for a
 * customer, twice that across midnight): 1 + 80 + 18 ≤ 100. As many as fit, since every checkpoint is a
 * pause of the pipeline and a redone chunk after a crash costs seconds at most either way.
 */
export const CHUNK_ROWS = 80
/** rows read and prepared at once within a chunk (查重 reads, the transaction of an update) */
const ROW_CONCURRENCY = 16
/** BatchWriteItem calls in flight at once */
const BATCHES_IN_FLIGHT = 16
/** tries of a BatchWriteItem (or BatchGetItem) while some of its items come back unprocessed */
const BATCH_ATTEMPTS = 8
/** failed rows listed on the job itself (the error report has them all) */
const LISTED_ERRORS = 100
/**
 * a request's run (the upload, a manual resume): below Function Compute's timeout, with room to write the
 * last checkpoint; a small file is done before the answer, a large one goes on in the scheduler
 */
const budgetMs = () => Number(process.env.IMPORT_BUDGET_MS ?? 20_000)
/** a job's lease outlives its run's deadline by this much, then another run may take over */
const LEASE_MARGIN_MS = 30_000

let fileStore: ImportFileStore = tableFileStore
/**
 * The last job's file as this instance read it: a resume landing on the same warm instance (the usual
 * case: the client resumes as soon as a run ends) skips reading and parsing the file again, which for a
 * 20 000-row XLSX is seconds of a 20-second run. One table at most (~10 MB for 20 000 rows).
 */
const lastRead = new Map<string, ParsedTable>()
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

/** gsi3 partition of a tenant's running jobs (sparse: a job leaves it when done or failed) */
const runningJobs = (tenantId: string) => tenantKey(tenantId, TAG.importJob, 'RUN')

/** A job with its index keys: while running, sorted by when a run may take it (its lease's end, or now). */
function withRunKeys(job: JobItem): JobItem {
  if (job.status !== 'running') return { ...job, gsi3pk: undefined, gsi3sk: undefined }
  return {
    ...job,
    gsi3pk: runningJobs(job.tenantId),
    gsi3sk: `${job.leaseUntil ?? job.updatedAt}#${job.id}`,
  }
}

/** A lease outlives its run's deadline by a margin, then another run may take the job over. */
const leaseEnd = (deadline: number) => new Date(deadline + LEASE_MARGIN_MS).toISOString()

/** Running jobs no run holds (their lease ended or released), the longest waiting first: a page of 25. */
export async function freeJobs(
  tenantId: string,
): Promise<{ tenantId: string; id: string; userId: string }[]> {
  const { Items = [] } = await table
    .build(QueryCommand)
    .entities(ImportJobEntity)
    .query({ index: 'gsi3', partition: runningJobs(tenantId), range: { lte: `${nowIso()}#~` } })
    .options({ limit: 25 })
    .send()
  return Items.map(({ tenantId, id, userId }) => ({ tenantId, id, userId }))
}

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
const counterChangeOf = (write: Write): CounterChange | undefined =>
  write.onConditionFail ? undefined : write.counter

/** An item as a Put of a transaction carries it: the table's own shape (keys, index keys, entity tag). */
interface StoredPut {
  TableName: string
  Item: Record<string, unknown>
}

/** A new row's writes as plain puts (its record apart) and the counter changes they carry. */
interface NewRow {
  row: RowInput
  record: StoredPut
  items: StoredPut[]
  counters: CounterChange[]
}

/**
 * A create's writes as a `NewRow`, or undefined when one of them needs the row's own transaction: a
 * capped counter (the tenant's 客户不允许重名 rule: of two rows of one name, one must fail) or anything
 * but a put (a change to another record). The timeline entry's random id becomes the row's: a redone
 * row then writes the same entry again instead of a second one.
 */
function asNewRow(row: RowInput, id: string, writes: Write[]): NewRow | undefined {
  const counters: CounterChange[] = []
  const puts: StoredPut[] = []
  for (const write of writes) {
    const counter = counterChangeOf(write)
    if (counter) {
      counters.push(counter)
      continue
    }
    const { Put } = write.action.params() as { Put?: StoredPut & { ConditionExpression?: string } }
    // the record's own Put (first) is conditional in a transaction; another condition needs one
    if (!Put || (puts.length > 0 && Put.ConditionExpression)) return undefined
    const item = { ...Put.Item }
    if (item.kind === 'activity' && String(item.sk).startsWith('ACT#')) item.sk = `ACT#${id}`
    puts.push({ TableName: Put.TableName, Item: item })
  }
  return { row, record: puts[0], items: puts.slice(1), counters }
}

type ImportRun = ImportContext & { collection: ImportCollection; policy: ImportPolicy; jobId: string }

/**
 * What a valid row will do: be skipped, update its 查重 match (per the policy), or be created — as a
 * `NewRow` for the chunk's batch, or as writes that need their own transaction. Planning only reads (查重)
 * and builds: a chunk is planned while the one before it is written, and a planned chunk a run stops
 * before has changed nothing.
 */
type RowPlan = { skip: true } | { update: () => Promise<boolean> } | { transaction: Write[] } | NewRow

async function planRow(ctx: ImportRun, row: RowInput): Promise<RowPlan> {
  const importer = importers[ctx.collection]
  const id = rowRecordId(ctx.jobId, row.row)
  const input = row.input!
  if (ctx.policy !== 'create') {
    const match = await importer.match(ctx, input, id)
    if (match && ctx.policy === 'skip') return { skip: true }
    if (match) {
      const changes = Object.fromEntries(row.present.map((f) => [f, input[f]]))
      return { update: () => importer.update(ctx, match, changes) }
    }
  }
  const writes = await importer.create(ctx, input, id)
  return asNewRow(row, id, writes) ?? { transaction: writes }
}

/** Commits a create as one transaction; its record already there was written by an earlier run. */
async function commitRow(writes: Write[]): Promise<CounterChange[]> {
  writes[0] = { ...writes[0], onConditionFail: () => new AlreadyImported() }
  const counters = writes.map(counterChangeOf)
  try {
    await commit(writes.filter((_, i) => !counters[i]))
  } catch (error) {
    if (!(error instanceof AlreadyImported)) throw error
  }
  return counters.filter((c): c is CounterChange => !!c)
}

const keyOf = (item: Record<string, unknown>) => `${item.pk}\u0000${item.sk}`
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 25 * 2 ** attempt) * Math.random()))

/** Which of the items are in the table (consistent reads, 100 keys a BatchGetItem). */
async function existing(puts: StoredPut[]): Promise<Set<string>> {
  const found = new Set<string>()
  const batches: StoredPut[][] = []
  for (let i = 0; i < puts.length; i += 100) batches.push(puts.slice(i, i + 100))
  await pool(batches, BATCHES_IN_FLIGHT, async (batch) => {
    const TableName = batch[0].TableName
    let keys = batch.map(({ Item }) => ({ pk: Item.pk, sk: Item.sk }))
    for (let attempt = 0; keys.length; attempt++) {
      if (attempt === BATCH_ATTEMPTS) throw new Error('BatchGetItem left keys unprocessed')
      if (attempt) await pause(attempt)
      const { Responses = {}, UnprocessedKeys = {} } = await getDocumentClient().send(
        new RawBatchGetCommand({
          RequestItems: { [TableName]: { Keys: keys, ConsistentRead: true, ProjectionExpression: 'pk, sk' } },
        }),
      )
      for (const item of Responses[TableName] ?? []) found.add(keyOf(item))
      keys = (UnprocessedKeys[TableName]?.Keys ?? []) as typeof keys
    }
  })
  return found
}

/** Puts the items, 25 a BatchWriteItem, several at once; unprocessed items are sent again after a pause. */
async function putAll(puts: StoredPut[]): Promise<void> {
  const batches: StoredPut[][] = []
  for (let i = 0; i < puts.length; i += 25) batches.push(puts.slice(i, i + 25))
  await pool(batches, BATCHES_IN_FLIGHT, async (batch) => {
    let requests: Record<string, { PutRequest: { Item: Record<string, unknown> } }[]> = {}
    for (const { TableName, Item } of batch) (requests[TableName] ??= []).push({ PutRequest: { Item } })
    for (let attempt = 0; Object.keys(requests).length; attempt++) {
      if (attempt === BATCH_ATTEMPTS) throw new Error('BatchWriteItem left items unprocessed')
      if (attempt) await pause(attempt)
      const { UnprocessedItems = {} } = await getDocumentClient().send(
        new RawBatchWriteCommand({ RequestItems: requests }),
      )
      requests = UnprocessedItems as typeof requests
    }
  })
}

/**
 * Writes a chunk's new rows with BatchWriteItem rather than a transaction each (on DynamoDB Local a
 * transaction of ~17 items per row imports ~40 rows/s). A batch is safe here because every item is a put
 * under a key fixed by job and row (the record's id is `rowRecordId`, its entries' keys follow from it,
 * its timeline entry takes its id), carrying no counter: writing a row twice writes the same items, and
 * its counts move once, with the checkpoint. What the record Put's condition did in a transaction — not
 * writing over a record an earlier run of the job already wrote, which its owner may have changed since
 * — a consistent read of the chunk's record keys does: those rows count as created and are left alone.
 * Only runs of this job write these keys, one at a time (the lease; a run still writing past its lapsed
 * lease writes the same items, and its checkpoint is refused). The records go last, so a record
 * that exists has all its items; a crash in between leaves entries pointing at no record (search and
 * 查重 load the record and skip them) until the resume writes it.
 */
async function writeNewRows(rows: NewRow[], beforeRecords?: () => void): Promise<void> {
  if (rows.length === 0) return
  const there = await existing(rows.map((r) => r.record))
  const fresh = rows.filter((r) => !there.has(keyOf(r.record.Item)))
  await putAll(fresh.flatMap((r) => r.items))
  beforeRecords?.()
  await putAll(fresh.map((r) => r.record))
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
  /** the run starts no chunk after this (clock ms); default: one request budget from now */
  deadline?: number
  /** tests: runs before a chunk's checkpoint is written (a throw there is a crash after the rows) */
  beforeCheckpoint?: (job: { id: string; processed: number }) => void | Promise<void>
  /** tests: runs once a chunk's new rows have their entries but not yet their records */
  beforeRecords?: (job: { id: string; processed: number }) => void
}

/**
 * Runs a job on from its checkpoint until it is done or the deadline (by default one request budget) has
 * passed. A job another run holds (its lease not yet lapsed) is answered as it is.
 */
export async function runImport(
  session: Session,
  id: string,
  options: RunOptions = {},
): Promise<z.output<typeof ImportJob>> {
  const run = await takeAndRun(session, id, options)
  return toJob(run.job)
}

/**
 * `runImport`, telling whether this run held the job and where it took it up (the scheduler's report):
 * `from` is undefined when the job was done, failed or held by another run.
 */
export async function takeAndRun(
  session: Session,
  id: string,
  options: RunOptions = {},
): Promise<{ job: JobItem; from?: number }> {
  const deadline = options.deadline ?? now() + budgetMs()
  const job = await getJobItem(session, id)
  if (job.status !== 'running' || (job.leaseUntil && job.leaseUntil > nowIso())) return { job }
  let leased: JobItem
  try {
    // of two runs at once, the one whose write lands first holds the job
    leased = await advance(job, { leaseUntil: leaseEnd(deadline) })
  } catch (error) {
    if (!isAppError(error, 'import.busy')) throw error
    return { job: await getJobItem(session, id) }
  }
  return { job: await runLeased(session, leased, deadline, options), from: leased.processed }
}

/** Runs a job whose lease this run holds, until it is done, the deadline passes or the lease is lost. */
async function runLeased(
  session: Session,
  leased: JobItem,
  deadline: number,
  options: RunOptions,
  /** the file as the upload already read it (the first run), else it is read from the store */
  read?: ParsedTable,
): Promise<JobItem> {
  let job = leased
  let sheet: ParsedTable
  try {
    sheet =
      read ??
      lastRead.get(job.id) ??
      (await parseTable(await fileStore.get(job.tenantId, job.id, job.fileChunks), job.fileType))
  } catch (error) {
    return advance(job, { status: 'failed', message: rowMessage(error), leaseUntil: undefined })
  }
  lastRead.clear()
  lastRead.set(job.id, sheet)
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
  const plan = (start: number) => {
    const planned = planChunk(ctx, { ...sheet, columns }, start, seen)
    planned.catch(() => undefined) // awaited below; a run that fails first leaves it unawaited
    return planned
  }
  let next: Promise<PlannedChunk> | undefined = plan(job.processed)
  try {
    while (next) {
      const chunk: PlannedChunk = await next
      const processed = job.processed + chunk.rows
      const done = processed >= sheet.rows.length
      // the next chunk's 查重 reads and building overlap this chunk's writes
      next = done ? undefined : plan(processed)
      const { counts, counters, failed } = await applyChunk(ctx, chunk, () =>
        options.beforeRecords?.({ id: job.id, processed }),
      )
      await saveErrors(job, failed)
      const stop = done || now() >= deadline
      await options.beforeCheckpoint?.({ id: job.id, processed })
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
          // released: the next run (the scheduler's) may take it at once
          ...(stop && { leaseUntil: undefined }),
        },
        counters.map((c) => counterWrite(job.tenantId, c)),
      )
      if (stop) break
    }
  } catch (error) {
    if (!isAppError(error, 'import.busy')) throw error
    // The lease lapsed and another run took the job over: this chunk's rows are its to count.
    log('warn', 'import.lease_lost', { job: job.id, processed: job.processed })
    await next?.catch(() => undefined)
    return getJobItem(session, job.id)
  }
  // a chunk planned past the run's stop has only read; it is let finish
  await next?.catch(() => undefined)
  if (job.status !== 'running') lastRead.clear()
  return job
}

/**
 * Stops a running job no run can go on with (its importer is no longer active): failed, with the reason,
 * and out of the index of running jobs. A job some run holds is left to it.
 */
export async function abandonImport(tenantId: string, id: string, message: string): Promise<void> {
  const { Item } = await ImportJobEntity.build(GetItemCommand)
    .key({ tenantId, id })
    .options({ consistent: true })
    .send()
  const job = Item as unknown as JobItem | undefined
  if (!job || job.status !== 'running' || (job.leaseUntil && job.leaseUntil > nowIso())) return
  try {
    await advance(job, { status: 'failed', message, leaseUntil: undefined })
  } catch (error) {
    if (!isAppError(error, 'import.busy')) throw error
  }
}

interface FailedRow {
  row: number
  cells: string[]
  message: string
}

function rowFailure(ctx: ImportRun, row: RowInput, error: unknown): FailedRow {
  if (!(error instanceof AppError) || error.status >= 500) {
    log('warn', 'import.row_failed', { job: ctx.jobId, row: row.row, error: (error as Error).message })
  }
  return { row: row.row, cells: row.cells, message: rowMessage(error) }
}

/** A chunk of the file's rows, read and planned. */
interface PlannedChunk {
  /** how many rows of the file it covers */
  rows: number
  /** rows repeating an earlier row of the file, and 查重 matches under "skip" */
  skipped: number
  failed: FailedRow[]
  plans: { row: RowInput; plan: Exclude<RowPlan, { skip: true }> }[]
}

async function planChunk(
  ctx: ImportRun,
  sheet: ParsedTable & { columns: (Column | undefined)[] },
  start: number,
  /** the rows of the file before this chunk, by their `Importer.keys` */
  seen: Map<string, number>,
): Promise<PlannedChunk> {
  const rows = sheet.rows.slice(start, start + CHUNK_ROWS).map((r) => readRow(ctx.collection, sheet, r))
  const chunk: PlannedChunk = { rows: rows.length, skipped: 0, failed: [], plans: [] }
  const toPlan: RowInput[] = []
  for (const row of rows) {
    if (row.error) {
      chunk.failed.push({ row: row.row, cells: row.cells, message: row.error })
      continue
    }
    // a row repeating an earlier row of this file: that row's record is the match
    const keys = importers[ctx.collection].keys(row.input!)
    const earlier = keys.map((k) => seen.get(k)).find((r) => r !== undefined)
    keys.forEach((k) => seen.set(k, seen.get(k) ?? row.row))
    if (earlier !== undefined && ctx.policy !== 'create') chunk.skipped++
    else toPlan.push(row)
  }
  await pool(toPlan, ROW_CONCURRENCY, async (row) => {
    try {
      const plan = await planRow(ctx, row)
      if ('skip' in plan) chunk.skipped++
      else chunk.plans.push({ row, plan })
    } catch (error) {
      chunk.failed.push(rowFailure(ctx, row, error))
    }
  })
  return chunk
}

/** Writes a planned chunk: its new rows in batches, its updates and transactions a row at a time. */
async function applyChunk(ctx: ImportRun, chunk: PlannedChunk, beforeRecords?: () => void) {
  const counts = { created: 0, updated: 0, skipped: chunk.skipped }
  const failed = [...chunk.failed]
  const sums = new Map<string, CounterChange>()
  const add = (changes: CounterChange[]) => {
    for (const c of changes) {
      const sum = sums.get(c.name)
      sums.set(c.name, { ...c, delta: (sum?.delta ?? 0) + c.delta })
    }
  }
  const newRows = chunk.plans.map(({ plan }) => plan).filter((plan): plan is NewRow => 'record' in plan)
  await Promise.all([
    // a failed batch fails the run, as a crash would: the resume redoes the chunk
    writeNewRows(newRows, beforeRecords),
    pool(
      chunk.plans.filter(({ plan }) => !('record' in plan)),
      ROW_CONCURRENCY,
      async ({ row, plan }) => {
        try {
          if ('update' in plan) counts[(await plan.update()) ? 'updated' : 'skipped']++
          else if ('transaction' in plan) {
            add(await commitRow(plan.transaction))
            counts.created++
          }
        } catch (error) {
          failed.push(rowFailure(ctx, row, error))
        }
      },
    ),
  ])
  for (const row of newRows) add(row.counters)
  counts.created += newRows.length
  failed.sort((a, b) => a.row - b.row)
  return { counts, counters: [...sums.values()].filter((c) => c.delta !== 0), failed }
}

/** The job moved forward, written only over the version it was read at (with the chunk's counters). */
async function advance(job: JobItem, changes: Partial<JobItem>, extraWrites: Write[] = []): Promise<JobItem> {
  const next = withRunKeys({ ...job, ...changes, updatedAt: nowIso(), version: job.version + 1 })
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

/** Checks the file, keeps it, makes the job (holding its lease) and runs it for one request budget. */
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
  const deadline = options.deadline ?? now() + budgetMs()
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
    // born leased to this request: the scheduler cannot take it before the first run has started
    leaseUntil: leaseEnd(deadline),
    version: 1,
    expiresAt,
  }
  await ImportJobEntity.build(PutItemCommand)
    .item(withRunKeys(job) as never)
    .options({ condition: { attr: 'id', exists: false } })
    .send()
  return toJob(await runLeased(session, job, deadline, options, parsed))
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
