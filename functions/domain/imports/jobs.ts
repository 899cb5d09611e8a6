import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type * as z from 'zod'
import type { ImportJob } from '../../../shared/schemas/index.js'
import { type ImportTarget } from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { conflict, isAppError, notFound } from '../../core/errors.js'
import { commit, type Write } from '../../db/commit.js'
import { ImportJobEntity, ImportPartEntity } from '../../db/entities/imports.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { table } from '../../db/table.js'

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
 * (driver.ts) finds it in the sparse index of running jobs whose lease is free and runs it on with
 * what its minute has left, every minute until done. Clients only poll `GET`; `POST .../resume` stays as
 * a manual retry (one more request budget). Two runs at once are harmless: the lease is taken with the
 * job's `version`, so one of them runs; a run whose lease lapsed (a stalled instance) finds its next
 * checkpoint refused by the `version` the new holder moved, stops, and its uncounted rows are the new
 * holder's to redo and count.
 */

export type JobItem = Omit<z.output<typeof ImportJob>, 'errorReportUrl' | 'message' | 'target'> & {
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

export const TTL_SECONDS = 7 * 24 * 3600
/**
 * rows per checkpoint: its transaction (≤ 100 items) holds the job, one counter per row at most (a
 * customer's name, a contact's customer) and the chunk's shared counters (lists and reports: ≤ 9 for a
 * customer, twice that across midnight): 1 + 80 + 18 ≤ 100. As many as fit, since every checkpoint is a
 * pause of the pipeline and a redone chunk after a crash costs seconds at most either way.
 */
export const CHUNK_ROWS = 80
/**
 * chunks whose rows are written at once: the next one's rows go in while a chunk waits for its
 * checkpoint (checkpoints stay one at a time, in file order); a crash or a lost lease leaves written
 * rows without a checkpoint, which the next run redoes as it does after any crash
 */
export const APPLY_DEPTH = 2
/** rows read and prepared at once within a chunk (查重 reads, the transaction of an update) */
export const ROW_CONCURRENCY = 16
/** BatchWriteItem calls in flight at once */
export const BATCHES_IN_FLIGHT = 16
/** tries of a BatchWriteItem (or BatchGetItem) while some of its items come back unprocessed */
export const BATCH_ATTEMPTS = 8
/** failed rows listed on the job itself (the error report has them all) */
export const LISTED_ERRORS = 100
/**
 * a request's run (the upload, a manual resume): below Function Compute's timeout, with room to write the
 * last checkpoint; a small file is done before the answer, a large one goes on in the scheduler
 */
export const budgetMs = () => Number(process.env.IMPORT_BUDGET_MS ?? 20_000)
/** a job's lease outlives its run's deadline by this much, then another run may take over */
const LEASE_MARGIN_MS = 30_000

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
export function withRunKeys(job: JobItem): JobItem {
  if (job.status !== 'running') return { ...job, gsi3pk: undefined, gsi3sk: undefined }
  return {
    ...job,
    gsi3pk: runningJobs(job.tenantId),
    gsi3sk: `${job.leaseUntil ?? job.updatedAt}#${job.id}`,
  }
}

/** A lease outlives its run's deadline by a margin, then another run may take the job over. */
export const leaseEnd = (deadline: number) => new Date(deadline + LEASE_MARGIN_MS).toISOString()

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

export async function advance(
  job: JobItem,
  changes: Partial<JobItem>,
  extraWrites: Write[] = [],
): Promise<JobItem> {
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
