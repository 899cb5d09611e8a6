import { QueryCommand as RawQueryCommand } from '@aws-sdk/lib-dynamodb'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { Session } from '../../core/context.js'
import { getDocumentClient } from '../../db/client.js'
import { COUNTER_SORT_KEY, CounterEntity, countOf, isCountItem, SHARDS } from '../../db/counters.js'
import { encodeCursor } from '../../db/cursor.js'
import { CustomerEntity } from '../../db/entities/lifecycle.js'
import { tenantKey } from '../../db/entities/record.js'
import type { Filter } from '../../db/filter.js'
import { readPage } from '../../db/pages.js'
import { table } from '../../db/table.js'
import type { Collection, StoredRecord } from '../../db/collection.js'
import {
  collaboratorPartition,
  type CustomerRecord,
  ownerPartition,
  RECYCLE_INDEX,
  type RecycleKind,
} from './record.js'

/**
 * The customers' Queries, one per access pattern of functions/db/README.md ("Customer life cycle"); the
 * verbs decide which partition to read, these read it and answer typed items.
 */

/** A list's index: gsi1–3 by creation, gsi1alt–3alt by last follow-up (same partitions, `altsk`). */
export type CustomerListIndex = 'gsi1' | 'gsi2' | 'gsi3' | 'gsi1alt' | 'gsi2alt' | 'gsi3alt'

/**
 * A page of one customers list (a member's, the pool, a department's, all; by creation or by last
 * follow-up), newest first: one Query unless a filter leaves it short (`readPage`). The list's kept
 * count sorts first in both orders, so an unfiltered first page asking `withCount` gets it too.
 */
export async function customerListPage({
  index,
  partition,
  range,
  start,
  limit,
  filter,
  withCount,
}: {
  index: CustomerListIndex
  partition: string
  range?: { between: [string, string] }
  start?: Record<string, unknown>
  limit: number
  filter?: Filter
  withCount: boolean
}): Promise<{ items: CustomerRecord[]; count?: number; nextCursor: string | null }> {
  const sortKey = index.endsWith('alt') ? 'altsk' : `${index}sk`
  const params = table
    .build(QueryCommand)
    .entities(CustomerEntity, CounterEntity)
    .query({ index, partition, ...(range && { range }) })
    .options({
      // the count's items (one per shard) take places on the page
      limit: limit + (withCount ? SHARDS : 0),
      reverse: true,
      exclusiveStartKey: start,
      ...(filter && { filters: { customers: filter } }),
    })
    .params()
  const isCount = (i: Record<string, unknown>) => isCountItem(i, sortKey)
  const { items, nextCursor } = await readPage(params, { limit, extra: isCount })
  const count = countOf(items, sortKey)
  return { items: items.filter((i) => !isCount(i)) as CustomerRecord[], count, nextCursor }
}

/**
 * A page of the caller's collaborator links (我协助的客户), newest first: by creation (gsi2) or by the
 * customer's last follow-up (gsi3). Answers the customers' ids; the verb reads the customers.
 */
export async function collaboratingCustomerIds(
  session: Session,
  { index, start, limit }: { index: 'gsi2' | 'gsi3'; start?: Record<string, unknown>; limit: number },
): Promise<{ ids: string[]; nextCursor: string | null }> {
  const params = table
    .build(QueryCommand)
    .query({ index, partition: collaboratorPartition(session.tenantId, session.userId) })
    .options({ limit, reverse: true, exclusiveStartKey: start })
    .params()
  const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(new RawQueryCommand(params))
  return { ids: Items.map((link) => link.customerId as string), nextCursor: encodeCursor(LastEvaluatedKey) }
}

/** How many of the caller's customers match `where`: a COUNT Query on their list, page by page. */
export async function ownedCustomerCount(session: Session, where: Filter): Promise<number> {
  let count = 0
  let start: Record<string, unknown> | undefined
  do {
    const params = table
      .build(QueryCommand)
      .entities(CustomerEntity)
      .query({ index: 'gsi2', partition: ownerPartition(session.tenantId, session.userId) })
      .options({ select: 'COUNT', exclusiveStartKey: start, filters: { customers: where } })
      .params()
    const page = await getDocumentClient().send(new RawQueryCommand(params))
    count += page.Count ?? 0
    start = page.LastEvaluatedKey
  } while (start)
  return count
}

/** A recycle clock (an entry of its customer): whose, and since when it runs. */
export interface RecycleClock {
  customerId: string
  ownerId: string
  at: string
}

/**
 * The recycle clocks of one category and kind that started in `[from, before)`, oldest first: one
 * Query on the kind's index (`RECYCLE_INDEX`) per 100 clocks, whatever the number of customers whose clocks are not due.
 */
export async function* recycleClocksBetween(
  tenantId: string,
  kind: RecycleKind,
  category: string,
  { from, before }: { from?: string; before: string },
): AsyncGenerator<RecycleClock> {
  let start: Record<string, unknown> | undefined
  do {
    const params = table
      .build(QueryCommand)
      .query({
        index: RECYCLE_INDEX[kind],
        partition: tenantKey(tenantId, 'RECYCLE', kind, category),
        range: from ? { between: [from, before] } : { lt: before },
      })
      .options({ limit: 100, exclusiveStartKey: start })
      .params()
    const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(new RawQueryCommand(params))
    // keys are `<start>#<id>`: `<= before` holds only for starts before it, so the range is half-open
    yield* Items as RecycleClock[]
    start = LastEvaluatedKey
  } while (start)
}

/**
 * A page of a customer's tab (联系人, 跟进: `<TAG>#…` in its gsi2 partition), newest first, with the tab's
 * kept count (`<TAG>#~`, first in reverse order) on a first page asking `withCount`.
 */
export async function customerTabPage<R extends StoredRecord>(
  collection: Collection<R>,
  {
    partition,
    start,
    limit,
    filter,
    withCount,
  }: {
    partition: string
    start?: Record<string, unknown>
    limit: number
    filter?: Filter
    withCount: boolean
  },
): Promise<{ items: R[]; count?: number; nextCursor: string | null }> {
  const params = table
    .build(QueryCommand)
    .entities(collection.entity, CounterEntity)
    .query({ index: 'gsi2', partition, range: { beginsWith: `${collection.tag}#` } })
    .options({
      limit: limit + (withCount ? 1 : 0),
      reverse: true,
      exclusiveStartKey: start,
      ...(filter && { filters: { [collection.entity.entityName]: filter } }),
    })
    .params()
  const head = `${collection.tag}#${COUNTER_SORT_KEY}`
  const isCount = (i: Record<string, unknown>) => isCountItem(i, 'gsi2sk', head)
  const { items, nextCursor } = await readPage(params, { limit, extra: isCount })
  return { items: items.filter((i) => !isCount(i)) as R[], count: countOf(items, 'gsi2sk', head), nextCursor }
}
