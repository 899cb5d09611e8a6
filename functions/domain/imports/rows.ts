import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { BatchWriteCommand, execute as executeBatchWrite } from 'dynamodb-toolbox/table/actions/batchWrite'
import {
  BatchGetCommand as RawBatchGetCommand,
  BatchWriteCommand as RawBatchWriteCommand,
} from '@aws-sdk/lib-dynamodb'
import { type Column, type ImportCollection, type ImportPolicy } from '../../../shared/schemas/index.js'
import type { SavedField } from '../../../shared/schemas/fields.js'
import { AppError, isAppError } from '../../core/errors.js'
import { getDocumentClient } from '../../db/client.js'
import { answerOnce, commit, type Write } from '../../db/commit.js'
import { type CounterChange } from '../../db/counters.js'
import { ImportPartEntity } from '../../db/entities/imports.js'
import { table } from '../../db/table.js'
import { checkCustom } from '../fields/values.js'
import { type ImportContext, importers } from './importers.js'

import type { JobItem } from './jobs.js'
import { BATCHES_IN_FLIGHT, BATCH_ATTEMPTS } from './jobs.js'

// --------------------------------------------------------------------------------- rows → input

export interface RowInput {
  row: number
  cells: string[]
  /** the fields the row fills (before the input schema's defaults) */
  present: string[]
  input?: Record<string, unknown>
  error?: string
}

/** A row's cells as the collection's input: column parsers, then the shared zod input schema. */
export function readRow(
  collection: ImportCollection,
  table: { headers: string[]; columns: (Column | undefined)[] },
  { row, cells }: { row: number; cells: string[] },
  /** the collection's field definitions: the row's custom values are checked as a create's */
  fields?: readonly SavedField[],
): RowInput {
  const { headers, columns } = table
  const importer = importers[collection]
  const raw: Record<string, unknown> = {}
  const custom: Record<string, unknown> = {}
  columns.forEach((column, i) => {
    const text = cells[i] ?? ''
    if (!column || text === '') return
    const value = column.parse ? column.parse(text) : text
    if (column.field.startsWith('custom.')) custom[column.field.slice('custom.'.length)] = value
    else raw[column.field] = value
  })
  const parsed = importer.input.safeParse(raw)
  if (parsed.success && fields) {
    try {
      const checked = checkCustom(fields, custom, { partial: false })
      const input = Object.keys(checked).length ? { ...parsed.data, custom: checked } : parsed.data
      return { row, cells, present: [...Object.keys(raw), ...(input.custom ? ['custom'] : [])], input }
    } catch (error) {
      if (!isAppError(error, 'validation.failed')) throw error
      const [first] = error.details as { message: string }[]
      return { row, cells, present: [], error: first?.message ?? error.message }
    }
  }
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
export interface NewRow {
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
    // an activity's id (its timeline entries' and feed entries' keys) becomes the row's
    if (item.kind === 'activity' && typeof item.activityId === 'string') {
      const random = item.activityId
      for (const name of ['sk', 'gsi1sk', 'gsi2sk', 'gsi3sk', 'activityId'])
        if (typeof item[name] === 'string') item[name] = (item[name] as string).replace(random, id)
    }
    puts.push({ TableName: Put.TableName, Item: item })
  }
  return { row, record: puts[0], items: puts.slice(1), counters }
}

export type ImportRun = ImportContext & {
  collection: ImportCollection
  policy: ImportPolicy
  jobId: string
  /** the collection's field definitions (custom columns) */
  fields?: readonly SavedField[]
}

/**
 * What a valid row will do: be skipped, update its 查重 match (per the policy), or be created — as a
 * `NewRow` for the chunk's batch, or as writes that need their own transaction. Planning only reads (查重)
 * and builds: a chunk is planned while the one before it is written, and a planned chunk a run stops
 * before has changed nothing.
 */
export type RowPlan =
  | { skip: true }
  | { update: () => Promise<boolean> }
  | { transaction: Write[] }
  /** a create through the collection's own verb, once per row */
  | { run: () => Promise<unknown> }
  | NewRow

export async function planRow(ctx: ImportRun, row: RowInput): Promise<RowPlan> {
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
  if (importer.createVia) {
    const { session, jobId } = ctx
    // the row's first commit remembers it under the job and row: a run that redoes the chunk does not
    // create it again (as a POST retried with its Idempotency-Key)
    const claim = {
      key: `import#${jobId}#${row.row}`,
      request: `IMPORT ${ctx.collection}`,
      tenantId: session.tenantId,
      userId: session.userId,
      statusCode: 201,
    }
    return { run: () => answerOnce(claim, () => importer.createVia!(ctx, input), true) }
  }
  const writes = await importer.create!(ctx, input, id)
  return asNewRow(row, id, writes) ?? { transaction: writes }
}

/** Commits a create as one transaction; its record already there was written by an earlier run. */
export async function commitRow(writes: Write[]): Promise<CounterChange[]> {
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
export async function writeNewRows(rows: NewRow[], beforeRecords?: () => void): Promise<void> {
  if (rows.length === 0) return
  const there = await existing(rows.map((r) => r.record))
  const fresh = rows.filter((r) => !there.has(keyOf(r.record.Item)))
  await putAll(fresh.flatMap((r) => r.items))
  beforeRecords?.()
  await putAll(fresh.map((r) => r.record))
}

export const rowMessage = (error: unknown) =>
  error instanceof AppError && error.status < 500 ? error.message : '写入失败，请稍后重试'

export async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}

/** Failed rows as items of the job (idempotent puts: a redone chunk writes the same items). */
export async function saveErrors(job: JobItem, failed: { row: number; cells: string[]; message: string }[]) {
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
