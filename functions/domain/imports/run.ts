import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { ulid } from 'ulid'
import type * as z from 'zod'
import type { ImportJob } from '../../../shared/schemas/index.js'
import {
  type Column,
  type ImportCollection,
  type ImportPolicy,
  type ImportTarget,
  customColumns,
  importColumns,
  mapHeaders,
} from '../../../shared/schemas/index.js'
import { definedFields } from './fields.js'
import { now, nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { AppError, isAppError } from '../../core/errors.js'
import { log } from '../../core/log.js'
import { type CounterChange, counterWrite } from '../../db/counters.js'
import { ImportJobEntity } from '../../db/entities/imports.js'
import { fileTypeOf, type ImportFileStore, parseTable, type ParsedTable, tableFileStore } from './files.js'
import { importers } from './importers.js'

import type { JobItem } from './jobs.js'
import {
  CHUNK_ROWS,
  LISTED_ERRORS,
  ROW_CONCURRENCY,
  APPLY_DEPTH,
  TTL_SECONDS,
  advance,
  budgetMs,
  getJobItem,
  leaseEnd,
  toJob,
  withRunKeys,
} from './jobs.js'
import type { ImportRun, NewRow, RowInput, RowPlan } from './rows.js'
import { commitRow, planRow, pool, readRow, rowMessage, saveErrors, writeNewRows } from './rows.js'

// A run of an import job: its lease, its file, chunk by chunk up to a checkpoint (jobs.ts tells the whole story).

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
  // the definitions also tell the rows' writes which index entries their custom values get
  const fields = await definedFields(session.tenantId, collection)
  const columns = mapHeaders(collection, sheet.headers, job.mapping, customColumns(fields))
  const ctx = {
    fields,
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
  // Chunks go through three stages: planned (read and built), applied (rows written), checkpointed (in
  // file order, each over the last one's version). Up to APPLY_DEPTH chunks are written at once, so the
  // database always has rows to write while a chunk waits for its checkpoint.
  let planned: Promise<PlannedChunk> | undefined = plan(job.processed)
  let plannedFrom = job.processed
  const applying: { processed: number; done: boolean; result: ReturnType<typeof applyChunk> }[] = []
  let stopping = false
  const settle = () =>
    Promise.all([planned, ...applying.map((a) => a.result)].map((p) => p?.catch(() => undefined)))
  try {
    for (;;) {
      let started = 0
      while (planned && !stopping && applying.length < APPLY_DEPTH) {
        // the run starts no chunk past its deadline (but always its first)
        if (started++ > 0 || job.processed > leased.processed) stopping = now() >= deadline
        if (stopping) break
        const chunk: PlannedChunk = await planned
        const processed = plannedFrom + chunk.rows
        const done = processed >= sheet.rows.length
        // the next chunk's 查重 reads and building overlap this chunk's writes
        planned = done ? undefined : plan(processed)
        plannedFrom = processed
        const result = applyChunk(ctx, chunk, () => options.beforeRecords?.({ id: job.id, processed }))
        result.catch(() => undefined) // awaited in order below; a run that fails first settles it
        applying.push({ processed, done, result })
      }
      const head = applying.shift()
      if (!head) break
      const { counts, counters, failed } = await head.result
      await saveErrors(job, failed)
      // past the deadline no chunk is started; the ones written are checkpointed, the last releases the job
      stopping ||= now() >= deadline
      const last = head.done || (stopping && applying.length === 0)
      await options.beforeCheckpoint?.({ id: job.id, processed: head.processed })
      job = await advance(
        job,
        {
          processed: head.processed,
          created: job.created + counts.created,
          updated: job.updated + counts.updated,
          skipped: job.skipped + counts.skipped,
          failed: job.failed + failed.length,
          errors: [...job.errors, ...failed.map(({ row, message }) => ({ row, message }))].slice(
            0,
            LISTED_ERRORS,
          ),
          ...(head.done && { status: 'done' as const }),
          // released: the next run (the scheduler's) may take it at once
          ...(last && { leaseUntil: undefined }),
        },
        counters.map((c) => counterWrite(job.tenantId, c)),
      )
      if (last) break
    }
  } catch (error) {
    // nothing of this run goes on writing once it has returned
    await settle()
    if (!isAppError(error, 'import.busy')) throw error
    // The lease lapsed and another run took the job over: the rows not checkpointed are its to count.
    log('warn', 'import.lease_lost', { job: job.id, processed: job.processed })
    return getJobItem(session, job.id)
  }
  // a chunk planned past the run's stop has only read; it is let finish
  await settle()
  if (job.status !== 'running') lastRead.clear()
  return job
}

/**
 * Stops a running job no run can go on with (its importer is no longer active): failed, with the reason,
 * and out of the index of running jobs. A job some run holds is left to it.
 */

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
  const rows = sheet.rows
    .slice(start, start + CHUNK_ROWS)
    .map((r) => readRow(ctx.collection, sheet, r, ctx.fields))
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
          else if ('run' in plan) {
            await plan.run()
            counts.created++
          } else if ('transaction' in plan) {
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
  const custom = customColumns(await definedFields(session.tenantId, collection))
  const fields = new Set(
    [...importColumns[collection], ...custom].filter((c) => !c.exportOnly).map((c) => c.field),
  )
  const unknown = Object.values(form.mapping ?? {}).filter((f) => !fields.has(f))
  if (unknown.length) {
    throw new AppError(400, 'validation.failed', `mapping 中的字段不存在：${unknown.join('、')}`)
  }
  const mapped = new Set(mapHeaders(collection, parsed.headers, form.mapping, custom).map((c) => c?.field))
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
