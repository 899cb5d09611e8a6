import { QueryCommand as RawQueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import type { Entity } from 'dynamodb-toolbox/entity'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { config } from '../core/config.js'
import { currentRequest } from '../core/context.js'
import { getDocumentClient } from './client.js'
import { customFilteredPage, readsCollection } from './custom-index.js'
import { encodeCursor } from './cursor.js'
import type { Filter } from './filter.js'
import { table } from './table.js'

interface PartitionQuery {
  index: 'gsi1' | 'gsi2' | 'gsi3'
  partition: string
  /** applied by DynamoDB to each page */
  filter?: Filter
}

/**
 * Every item of an index partition, a page (1 MB) at a time, one Query a page: for small partitions
 * read whole (a tenant's people, departments, a year's targets) and for jobs that walk a collection.
 */
export async function* queryPages<T>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entity: Entity<string, any, any, any, any>,
  { index, partition, filter }: PartitionQuery,
): AsyncGenerator<T[]> {
  let exclusiveStartKey: Record<string, unknown> | undefined
  do {
    const { Items = [], LastEvaluatedKey } = await table
      .build(QueryCommand)
      .entities(entity)
      .query({ index, partition })
      .options({
        exclusiveStartKey,
        ...(filter ? { filters: { [entity.entityName]: filter } } : {}),
      } as never)
      .send()
    yield Items as T[]
    exclusiveStartKey = LastEvaluatedKey
  } while (exclusiveStartKey)
}

/** Every item of an index partition as stored (no entity's parser): items of several kinds, or many. */
export async function* rawPartitionPages(
  index: PartitionQuery['index'],
  partition: string,
): AsyncGenerator<Record<string, unknown>[]> {
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await getDocumentClient().send(
      new RawQueryCommand({
        TableName: config.tableName(),
        IndexName: index,
        KeyConditionExpression: `${index}pk = :pk`,
        ExpressionAttributeValues: { ':pk': partition },
        ExclusiveStartKey,
      }),
    )
    yield page.Items ?? []
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
}

/** All the items of `queryPages` in one array. */
export async function queryAll<T>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entity: Entity<string, any, any, any, any>,
  query: PartitionQuery,
): Promise<T[]> {
  const items: T[] = []
  for await (const page of queryPages<T>(entity, query)) items.push(...page)
  return items
}

/**
 * The most Query calls one list page makes. DynamoDB applies a FilterExpression after reading `Limit`
 * items, so one read of a selective filter answers few matches or none; a page reads on until it holds
 * `limit` items or the partition ends, but at most this many times: then it answers what it found (maybe
 * fewer, even none) with a cursor.
 */
export const PAGE_READS = 5
/** the most items one further read asks for (DynamoDB stops at 1 MB anyway) */
const MAX_READ = 1000

type Item = Record<string, unknown>

/**
 * One list page of a Query built by toolbox (`.params()`; its `Limit` is the first read's): up to `limit`
 * items, raw. An unfiltered page is one call. `extra` tells items that come along but take no place in
 * the page (a list's kept count); they are answered too. The cursor follows the last item answered
 * when the page fills in the middle of a read (the read's LastEvaluatedKey would skip the rest of it).
 */
export async function readPage(
  params: QueryCommandInput,
  { limit, extra }: { limit: number; extra?: (item: Item) => boolean },
): Promise<{ items: Item[]; nextCursor: string | null }> {
  // a list filtered on custom fields reads its candidates from their index (custom-index.ts)
  const custom = currentRequest()?.customFilter
  if (custom && readsCollection(custom, params)) {
    return customFilteredPage(custom, params, {
      limit,
      reads: PAGE_READS,
      listKey: (item) => keyOf(item, params.IndexName),
    })
  }
  const items: Item[] = []
  let found = 0
  let scanned = 0
  let start = params.ExclusiveStartKey
  let readLimit = params.Limit ?? limit
  for (let read = 1; ; read++) {
    const {
      Items = [],
      LastEvaluatedKey,
      ScannedCount = 0,
    } = await getDocumentClient().send(
      new RawQueryCommand({ ...params, Limit: readLimit, ExclusiveStartKey: start }),
    )
    scanned += ScannedCount
    for (const [i, item] of Items.entries()) {
      items.push(item)
      if (extra?.(item)) continue
      if (++found < limit) continue
      const next = i < Items.length - 1 ? keyOf(item, params.IndexName) : LastEvaluatedKey
      return { items, nextCursor: encodeCursor(next) }
    }
    if (!LastEvaluatedKey || read === PAGE_READS) return { items, nextCursor: encodeCursor(LastEvaluatedKey) }
    start = LastEvaluatedKey
    // as far again as the matches so far suggest the rest of the page is (none yet: four times as far)
    const need = limit - found
    const estimate = found ? Math.ceil(((need * scanned) / found) * 1.5) : scanned * 4
    readLimit = Math.min(MAX_READ, Math.max(need, estimate))
  }
}

/** An item's key in the table and in the index read: what a LastEvaluatedKey at that item would be. */
function keyOf(item: Item, indexName: string | undefined): Item {
  const names: string[] = [table.partitionKey.name, table.sortKey!.name]
  if (indexName) {
    const index = table.indexes[indexName as keyof typeof table.indexes]
    names.push(index.partitionKey.name, index.sortKey.name)
  }
  return Object.fromEntries(names.map((name) => [name, item[name]]))
}
