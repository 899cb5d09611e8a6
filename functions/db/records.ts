import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet'
import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { BatchGetCommand, execute as executeBatchGet } from 'dynamodb-toolbox/table/actions/batchGet'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { ulid } from 'ulid'
import type { Page } from '../../shared/schemas/index.js'
import { nowIso } from '../core/clock.js'
import type { Session } from '../core/context.js'
import { AppError, notFound } from '../core/errors.js'
import { type Collection, type StoredRecord, withIndexKeys } from './collection.js'
import { commit, type Write } from './commit.js'
import { decodeCursor } from './cursor.js'
import { mergeCustom } from './custom-index.js'
import { tenantKey } from './entities/record.js'
import type { Filter } from './filter.js'
import { readPage } from './pages.js'
import { table } from './table.js'

/**
 * The generic record verbs every collection gets: list, get, create, update (versioned), remove (to the
 * recycle bin) and restore. Domain modules call them and add their own verbs next to them.
 */

/** 审批中: a record waiting for its approval stays as submitted until decided or withdrawn. */
export const approvalPending = () =>
  new AppError(422, 'approval.pending', '记录审批中，不能修改或删除（可先撤回审批）')
const isPending = (record: StoredRecord) =>
  (record.approval as { status?: string } | undefined)?.status === 'pending'

export const versionConflict = () =>
  new AppError(409, 'version.conflict', '记录已被他人修改，请刷新后重试（version 不是最新）')

export async function getRecord<R extends StoredRecord>(
  collection: Collection<R>,
  session: Session,
  id: string,
  { includeDeleted = false } = {},
): Promise<R> {
  const { Item } = await collection.entity
    .build(GetItemCommand)
    .key({ tenantId: session.tenantId, id })
    .options({ consistent: true })
    .send()
  const record = Item as R | undefined
  if (
    !record ||
    (record.deletedAt && !includeDeleted) ||
    !((await collection.visible?.(session, record)) ?? true)
  ) {
    throw notFound(collection.name)
  }
  return record
}

/** What an edit reads besides the record, handed to its `may` and `change`. */
export interface EditReads<S, C> {
  /** read alongside the record (`Edit.alongside`) */
  alongside: S
  /** read through the record (`Edit.through`) */
  through: C
}

export interface Edit<R extends StoredRecord, A, S, C> {
  /** the version the caller read: 409 once the record moved on (verbs that retry on their own send none) */
  version?: number
  /** a deleted record too (the recycle bin's restore) */
  includeDeleted?: boolean
  /** what the verb reads in parallel with the record: rules, settings */
  alongside?: () => Promise<S>
  /** what the verb reads through the record: a child's customer */
  through?: (current: R) => Promise<C>
  /** throws when the caller may not edit it (403), or the record is in no state for it (409, 422) */
  may?: (current: R, reads: EditReads<S, C>) => void
  /** the change and its commit: `replaceRecord`, or the noun's own writes of it */
  change: (current: R, reads: EditReads<S, C>) => Promise<A>
}

/**
 * The one edit path of the verbs that change a record: the record as the session may see it (404
 * otherwise), what the verb may (403...), the version the caller read (409), then the change. One
 * consistent GetItem before the verb's own reads and its one TransactWriteItems.
 */
export async function editRecord<R extends StoredRecord, A, S = undefined, C = undefined>(
  collection: Collection<R>,
  session: Session,
  id: string,
  { version, includeDeleted, alongside, through, may, change }: Edit<R, A, S, C>,
): Promise<A> {
  const [current, read] = await Promise.all([
    getRecord(collection, session, id, { includeDeleted }),
    alongside?.() as Promise<S>,
  ])
  const reads = { alongside: read, through: (await through?.(current)) as C }
  may?.(current, reads)
  if (isPending(current)) throw approvalPending()
  if (version !== undefined && current.version !== version) throw versionConflict()
  return change(current, reads)
}

/** The record after a change: the changed fields, stamped, one version on. */
export const changed = <R extends StoredRecord>(current: R, changes: Partial<R>): R => ({
  ...current,
  ...changes,
  ...withCustom(current, changes),
  updatedAt: nowIso(),
  version: current.version + 1,
})

/** A change's custom values merged over the record's (a patch sends only the ones it changes). */
export const withCustom = (current: StoredRecord, changes: Partial<StoredRecord>) =>
  'custom' in changes
    ? {
        custom: mergeCustom(
          current.custom as Record<string, unknown> | undefined,
          changes.custom as Record<string, unknown> | undefined,
        ),
      }
    : {}

/** The record moved to the recycle bin by the caller. */
export function binned<R extends StoredRecord>(session: Session, current: R): R {
  const at = nowIso()
  return { ...current, deletedAt: at, deletedBy: session.userId, updatedAt: at, version: current.version + 1 }
}

/**
 * Records of a collection by id, live ones only: one BatchGetItem per 100 ids, in parallel (a page of
 * links or index entries turned into the records themselves).
 */
export async function getRecords<R extends StoredRecord>(
  collection: Collection<R>,
  tenantId: string,
  ids: string[],
  { consistent = false } = {},
): Promise<Map<string, R>> {
  const unique = [...new Set(ids)]
  const chunks = Array.from({ length: Math.ceil(unique.length / 100) }, (_, i) =>
    unique.slice(i * 100, i * 100 + 100),
  )
  const found = new Map<string, R>()
  await Promise.all(
    chunks.map(async (chunk) => {
      const requests = chunk.map((id) => collection.entity.build(BatchGetRequest).key({ tenantId, id }))
      const { Responses = [] } = await executeBatchGet(
        { maxAttempts: 3 },
        table
          .build(BatchGetCommand)
          .requests(...(requests as [(typeof requests)[number]]))
          .options({ consistent }),
      )
      for (const item of (Responses[0] ?? []) as (R | undefined)[])
        if (item && !item.deletedAt) found.set(item.id, item)
    }),
  )
  return found
}

/**
 * One page of a collection, newest first: a Query on gsi1, the filter applied by DynamoDB (`readPage`:
 * one call unless a filter leaves the page short).
 */
export const listRecords = <R extends StoredRecord>(
  collection: Collection<R>,
  session: Session,
  { limit, cursor, filter }: { limit: number; cursor?: string; filter?: Filter },
): Promise<Page<R>> =>
  queryPage(collection, session, {
    index: 'gsi1',
    partition: tenantKey(session.tenantId, collection.tag),
    limit,
    cursor,
    filter,
  })

/**
 * A page of an index partition of a collection, newest first, with the collection's filter (`readPage`).
 * Toolbox builds the request; the items come back raw, because formatting them in toolbox costs ~26 µs
 * an item and the zod schema that encodes the answer checks each item anyway.
 */
export async function queryPage<R extends StoredRecord>(
  collection: Collection<R>,
  session: Session,
  {
    index,
    partition,
    beginsWith,
    limit,
    cursor,
    filter,
  }: {
    index: 'gsi1' | 'gsi2' | 'gsi3'
    partition: string
    beginsWith?: string
    limit: number
    cursor?: string
    filter?: Filter
  },
): Promise<Page<R>> {
  const params = table
    .build(QueryCommand)
    .entities(collection.entity)
    .query({ index, partition, ...(beginsWith ? { range: { beginsWith } } : {}) })
    .options({
      limit,
      reverse: true,
      exclusiveStartKey: decodeCursor(cursor, session.tenantId),
      ...(filter ? { filters: { [collection.entity.entityName]: filter } } : {}),
    })
    .params()
  const { items, nextCursor } = await readPage(params, { limit })
  return { items: items as R[], nextCursor }
}

/**
 * A record written whole: a field cleared by a PATCH (`undefined`, or `null` from a merge of raw input)
 * is left out, so the stored item loses the attribute (and any index entry derived from it).
 */
export const putWrite = <R extends StoredRecord>(
  collection: Collection<R>,
  record: R,
  condition: Filter,
  onConditionFail: () => AppError,
): Write => {
  const item = withoutEmpty(withIndexKeys(collection, record))
  const simple =
    condition && typeof condition.attr === 'string' && Object.keys(condition).length === 2
      ? condition.exists === false || (typeof condition.eq === 'number' && 'eq' in condition)
      : false
  return {
    action: simple
      ? (new RecordPut(collection.entity, item, condition) as unknown as Write['action'])
      : collection.entity.build(PutTransaction).item(item).options({ condition }),
    onConditionFail,
  }
}

/**
 * A record's Put as a transaction item, built without the toolbox's item parser (~1 ms of CPU a record
 * on a schema of 30-40 attributes, the largest CPU cost of a create): the record was checked by the
 * route's zod schema and shaped by its domain, so the item is what the parser would store — the schema's
 * attributes (others dropped, as the parser drops them), the computed key and the entity tag — under
 * one of the two conditions record writes use: the attribute absent (a create) or equal to a number (a
 * version). `tests/lifecycle/record-put.test.ts` holds it equal to the parser's output.
 */
export class RecordPut {
  constructor(
    readonly entity: Collection<StoredRecord>['entity'],
    private readonly item: Record<string, unknown>,
    private readonly condition: { attr: string; exists?: false; eq?: number },
  ) {}
  params() {
    const { entity, condition } = this
    const attributes = entity.schema.attributes as Record<string, { props?: { savedAs?: string } }>
    const item: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(this.item)) {
      if (value !== undefined && name in attributes) item[name] = value
    }
    const tagged = entity.entityAttribute ? { [entity.table.entityAttributeSavedAs]: entity.entityName } : {}
    const key = entity.computeKey!(item as never) as Record<string, unknown>
    const saved = attributes[condition.attr]?.props?.savedAs ?? condition.attr
    return {
      ToolboxItem: { ...item, ...(entity.entityAttribute && { entity: entity.entityName }) },
      Put: {
        TableName: entity.table.getName(),
        Item: { ...item, ...key, ...tagged },
        ...(condition.exists === false
          ? { ConditionExpression: 'attribute_not_exists(#c_1)', ExpressionAttributeNames: { '#c_1': saved } }
          : {
              ConditionExpression: '#c_1 = :c_1',
              ExpressionAttributeNames: { '#c_1': saved },
              ExpressionAttributeValues: { ':c_1': condition.eq },
            }),
      },
    }
  }
}

/** The record without its empty fields, as it is stored (and read back, so answers match later reads). */
const withoutEmpty = <R extends StoredRecord>(record: R): R =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined && value !== null)) as R

export const newRecord = <F extends object>(session: Session, fields: F) => {
  const at = nowIso()
  return {
    ...fields,
    tenantId: session.tenantId,
    id: ulid(),
    createdAt: at,
    createdBy: session.userId,
    updatedAt: at,
    version: 1,
  }
}

export async function createRecord<R extends StoredRecord>(
  collection: Collection<R>,
  session: Session,
  fields: Omit<R, keyof StoredRecord>,
  extraWrites: Write[] = [],
): Promise<R> {
  return insertRecord(collection, newRecord(session, fields) as unknown as R, extraWrites)
}

/** A new record in one transaction with its side writes (for verbs that build the record themselves). */
export async function insertRecord<R extends StoredRecord>(
  collection: Collection<R>,
  given: R,
  extraWrites: Write[] = [],
): Promise<R> {
  const record = withoutEmpty(given)
  await commit(
    [
      putWrite(
        collection,
        record,
        { attr: 'id', exists: false },
        () => new AppError(409, `${collection.name}.duplicate`, '记录已存在'),
      ),
      ...(collection.sideWrites?.(undefined, record) ?? []),
      ...extraWrites,
    ],
    record,
  )
  return record
}

/** The record after a change, written whole and only if nobody wrote it since `expectedVersion`. */
export async function replaceRecord<R extends StoredRecord>(
  collection: Collection<R>,
  current: R,
  changed: R,
  extraWrites: Write[] = [],
): Promise<R> {
  const next = withoutEmpty(changed)
  await commit(
    [
      putWrite(collection, next, { attr: 'version', eq: current.version }, versionConflict),
      ...(collection.sideWrites?.(current, next) ?? []),
      ...extraWrites,
    ],
    next,
  )
  return next
}

export const updateRecord = <R extends StoredRecord>(
  collection: Collection<R>,
  session: Session,
  id: string,
  { version, ...changes }: { version: number } & Partial<R>,
): Promise<R> =>
  editRecord(collection, session, id, {
    version,
    change: (current) => replaceRecord(collection, current, changed(current, changes as Partial<R>)),
  })

/** Deletion moves the record to the recycle bin: same item, marked and indexed under the bin. */
export const removeRecord = <R extends StoredRecord>(
  collection: Collection<R>,
  session: Session,
  id: string,
): Promise<R> =>
  editRecord(collection, session, id, {
    change: (current) => replaceRecord(collection, current, binned(session, current)),
  })

/**
 * The record back from the recycle bin; `may` adds the bin's own rule (who may restore what), `writes`
 * what commits with it (its 动态).
 */
export const restoreRecord = <R extends StoredRecord>(
  collection: Collection<R>,
  session: Session,
  id: string,
  may?: (current: R) => void,
  writes?: (restored: R) => Promise<Write[]>,
): Promise<R> =>
  editRecord(collection, session, id, {
    includeDeleted: true,
    may: (current) => {
      if (!current.deletedAt) throw notFound(collection.name, '回收站中没有该记录')
      may?.(current)
    },
    change: async (current) => {
      const { deletedAt: _d, deletedBy: _b, ...rest } = current
      const restored = { ...rest, updatedAt: nowIso(), version: current.version + 1 } as R
      return replaceRecord(collection, current, restored, (await writes?.(restored)) ?? [])
    },
  })

/** For writes that remove an item outright (guards, counters that drop to nothing). */
export const deleteWrite = (collection: Collection, key: { tenantId: string; id: string }): Write => ({
  action: collection.entity.build(DeleteTransaction).key(key),
})
