import { BatchGetCommand as RawBatchGetCommand } from '@aws-sdk/lib-dynamodb'
import { Entity, EntityAction } from 'dynamodb-toolbox/entity'
import { item } from 'dynamodb-toolbox/schema/item'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { config } from '../core/config.js'
import type { AppError } from '../core/errors.js'
import { getDocumentClient } from './client.js'
import type { Write } from './commit.js'
import { tenantKey, TAG } from './entities/record.js'
import { table } from './table.js'

/**
 * Kept counts, moved with ADD inside the transaction of the change that causes it, so a count never
 * needs a scan and is never off by a half-written change.
 *
 * **Names and cells.** A counter has a name; it is kept as one attribute (a *cell*) of a counter item
 * (`T#t#CNT#<item>`, sort key `#`). A plain counter is the `count` of an item of its own name. A report
 * counter (`R#<subject>#<YYYY-MM-DD>#<metric>`, domain/stats) is the cell `<DD>#<metric>` of its
 * subject's month item `R#<subject>#<YYYY-MM>`, and the month's counter (`R#<subject>#<YYYY-MM>#<metric>`)
 * is the sum of that item's days: a write moves one item per subject whatever the metrics it moves, and
 * a report reads one item per subject and month.
 *
 * **Shards.** A counter that every writer of a tenant or of a department moves (`isSharded`: the
 * tenant's and the departments' report items, the whole-tenant, pool and department list counts) is
 * kept in `SHARDS` items: a write adds to one shard picked at random (sort key `#<s>`, shard 0 is `#`,
 * so a table written before shards reads the same), a read sums the shards (one BatchGetItem). Two
 * creates by different people meet on no item but a shard, and a shard takes 1/SHARDS of the tenant's
 * writes. A counter with a cap (`max`) is one item: the cap is a condition on that item.
 *
 * **Merged per item.** `commit` merges the counter writes of a transaction that fall on the same item
 * into one UpdateItem (DynamoDB refuses two operations on one item in a transaction), so the domain's
 * writers add counters independently and a transaction still touches each counter item once.
 *
 * A counter may also be *listed at the head* of a list partition (`listedIn`): its item then carries that
 * index's keys with the sort key `~` (shard s: `~<s>`), which sorts after every ULID, so the first page of
 * the list's reverse Query returns the count with the items — "共有 N 条记录" costs no extra call (the
 * list sums the count items it meets: `isCountItem`).
 */
export const CounterEntity = new Entity({
  name: 'counters',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    name: string().key(),
    count: number().optional(),
    gsi1pk: string().optional(),
    gsi1sk: string().optional(),
    gsi2pk: string().optional(),
    gsi2sk: string().optional(),
    gsi3pk: string().optional(),
    gsi3sk: string().optional(),
    altsk: string().optional(),
  }),
  computeKey: ({ tenantId, name }: { tenantId: string; name: string }) => ({
    pk: tenantKey(tenantId, TAG.counter, name),
    sk: '#',
  }),
})

/** The sort key of a counter listed at the head of a partition (after every ULID). */
export const COUNTER_SORT_KEY = '~'

/** Items per sharded counter. */
export const SHARDS = 8

export type CounterIndex = 'gsi1' | 'gsi2' | 'gsi3'

export interface CounterChange {
  name: string
  delta: number
  /**
   * list partition whose first page shows this count (at `sk`, default `~`: after every ULID); with
   * `altsk`, also the first page of the partition's second order (`<index>alt`)
   */
  listedIn?: { index: CounterIndex; pk: string; sk?: string; altsk?: string }
  /** refuse the whole transaction if the count would go above this (a cap) */
  max?: number
  onMaxExceeded?: () => AppError
}

const REPORT = /^(R#(?:T|[UD]#[^#]+)#\d{4}-\d{2})(?:-(\d{2}))?#(.+)$/
/** whole-tenant, pool and department list counts (customers, leads) */
const HOT_LISTS = /^(?:CUS|CUS#POOL|CUS#D#[^#]+|LEAD)$/

/** Is the counter one every writer of a tenant or a department moves (kept in `SHARDS` items)? */
export const isSharded = (name: string) => /^R#(?:T|D#[^#]+)#/.test(name) || HOT_LISTS.test(name)

/**
 * Where a counter is kept: its item and attribute; `days` when it is a month of a report counter (the
 * sum of the item's `<DD>#<metric>` cells).
 */
export function cellOf(name: string): { item: string; attribute: string; days?: string } {
  const report = REPORT.exec(name)
  if (!report) return { item: name, attribute: 'count' }
  const [, item, day, metric] = report
  return day ? { item, attribute: `${day}#${metric}` } : { item, attribute: '', days: metric }
}

const shardsOf = (item: string) => (isSharded(item) ? SHARDS : 1)
const keyOf = (tenantId: string, item: string, shard: number) => ({
  pk: tenantKey(tenantId, TAG.counter, item),
  sk: shard ? `#${shard}` : '#',
})

/** Is this item of a list Query one of the list's count items (any shard)? */
export const isCountItem = (item: Record<string, unknown>, sortKey: string, sk = COUNTER_SORT_KEY) =>
  item._et === CounterEntity.entityName && String(item[sortKey] ?? '').startsWith(sk)

/** The sum of the count items among the items of a list page (undefined: none met). */
export function countOf(items: Record<string, unknown>[], sortKey: string, sk?: string): number | undefined {
  const counts = items.filter((i) => isCountItem(i, sortKey, sk))
  return counts.length ? counts.reduce((sum, i) => sum + Number(i.count ?? 0), 0) : undefined
}

/** The index keys that list a counter shard at the head of its partition. */
const listing = ({ listedIn }: Pick<CounterChange, 'listedIn'>, shard = 0) => {
  if (!listedIn) return {}
  const suffix = shard ? String(shard) : ''
  return {
    [`${listedIn.index}pk`]: listedIn.pk,
    [`${listedIn.index}sk`]: (listedIn.sk ?? COUNTER_SORT_KEY) + suffix,
    ...(listedIn.altsk && { altsk: listedIn.altsk + suffix }),
  }
}

/**
 * An UpdateItem of one counter item, as an item of a transaction (its cells are attributes the toolbox
 * schema cannot name in advance, so it builds the request itself; `commit` sends it with the others).
 */
class CounterUpdate extends EntityAction<typeof CounterEntity> {
  constructor(
    readonly tenantId: string,
    readonly item: string,
    readonly shard: number,
    readonly changes: CounterChange[],
  ) {
    super(CounterEntity)
  }

  params() {
    const names: Record<string, string> = { '#et': table.entityAttributeSavedAs, '#name': 'name' }
    const values: Record<string, unknown> = {
      ':et': CounterEntity.entityName,
      ':tenant': this.tenantId,
      ':name': this.item,
    }
    const sets = ['#et = :et', 'tenantId = :tenant', '#name = :name']
    const adds: string[] = []
    let condition: string | undefined
    this.changes.forEach((change, i) => {
      names[`#a${i}`] = cellOf(change.name).attribute
      values[`:a${i}`] = change.delta
      adds.push(`#a${i} :a${i}`)
      for (const [key, value] of Object.entries(listing(change, this.shard))) {
        names[`#${key}`] = key
        values[`:${key}`] = value
        sets.push(`#${key} = :${key}`)
      }
      if (change.max !== undefined && change.delta > 0) {
        // the count before this ADD must leave room for the delta
        values[`:max${i}`] = change.max - change.delta
        condition = `attribute_not_exists(#a${i}) OR #a${i} <= :max${i}`
      }
    })
    return {
      Update: {
        TableName: this.entity.table.getName(),
        Key: keyOf(this.tenantId, this.item, this.shard),
        UpdateExpression: `SET ${[...new Set(sets)].join(', ')} ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ...(condition && { ConditionExpression: condition }),
      },
    }
  }
}

const randomShard = (item: string) => (isSharded(item) ? Math.floor(Math.random() * SHARDS) : 0)

/** The write that moves one counter (`commit` merges the counter writes of one item). */
export function counterWrite(tenantId: string, change: CounterChange): Write {
  const { item, days } = cellOf(change.name)
  if (days) throw new Error(`${change.name} is the sum of its days: write a day`)
  const capped = change.max !== undefined && change.delta > 0
  return {
    action: new CounterUpdate(tenantId, item, capped ? 0 : randomShard(item), [change]),
    counter: change,
    counterTenant: tenantId,
    onConditionFail: capped ? change.onMaxExceeded : undefined,
  }
}

/** The writes that move several counters. */
export const counterWrites = (tenantId: string, changes: CounterChange[]): Write[] =>
  changes.map((change) => counterWrite(tenantId, change))

/**
 * A transaction's writes with its uncapped counter writes merged: one UpdateItem per counter item (one
 * shard picked per item), in place of the first write that falls on it.
 */
export function mergeCounterWrites(writes: Write[]): Write[] {
  const merged = new Map<string, { at: number; tenantId: string; item: string; changes: CounterChange[] }>()
  const out: (Write | undefined)[] = []
  for (const write of writes) {
    if (!write.counter || write.onConditionFail || !write.counterTenant) {
      out.push(write)
      continue
    }
    const { item } = cellOf(write.counter.name)
    const key = `${write.counterTenant}\u0000${item}`
    const seen = merged.get(key)
    if (seen) seen.changes.push(write.counter)
    else {
      merged.set(key, { at: out.length, tenantId: write.counterTenant, item, changes: [write.counter] })
      out.push(undefined)
    }
  }
  for (const { at, tenantId, item, changes } of merged.values()) {
    // one change per cell: what cancels out is not written
    const cells = new Map<string, CounterChange>()
    for (const change of changes) {
      const seen = cells.get(change.name)
      cells.set(change.name, { ...(seen ?? change), delta: (seen?.delta ?? 0) + change.delta })
    }
    const live = [...cells.values()].filter((c) => c.delta !== 0)
    out[at] = live.length
      ? { action: new CounterUpdate(tenantId, item, randomShard(item), live), counter: live[0] }
      : undefined
  }
  return out.filter((w): w is Write => !!w)
}

/**
 * Counter items holding counts outright (bulk loads and rebuilds; requests use `counterWrite`): the
 * items the counts make, shard 0 of each, as plain items with their listing keys.
 */
export function counterItems(
  tenantId: string,
  counts: { counter: Omit<CounterChange, 'delta'>; count: number }[],
): Record<string, unknown>[] {
  const items = new Map<string, Record<string, unknown>>()
  for (const { counter, count } of counts) {
    const { item, attribute } = cellOf(counter.name)
    const stored = items.get(item) ?? {
      ...keyOf(tenantId, item, 0),
      [table.entityAttributeSavedAs]: CounterEntity.entityName,
      tenantId,
      name: item,
    }
    stored[attribute] = Number(stored[attribute] ?? 0) + count
    Object.assign(stored, listing(counter))
    items.set(item, stored)
  }
  return [...items.values()]
}

/** A counter item holding `count` outright (one counter; see `counterItems`). */
export const counterItem = (tenantId: string, counter: Omit<CounterChange, 'delta'>, count: number) =>
  counterItems(tenantId, [{ counter, count }])[0]

/**
 * Current values of some counters (missing = 0): their items, every shard, in BatchGetItems of 100 keys
 * in parallel, summed.
 */
export async function readCounters(
  tenantId: string,
  names: Iterable<string>,
): Promise<Record<string, number>> {
  const unique = [...new Set(names)]
  const cells = unique.map((name) => ({ name, ...cellOf(name) }))
  const keys = new Map<string, { pk: string; sk: string }>()
  for (const { item } of cells)
    for (let shard = 0; shard < shardsOf(item); shard++) {
      const key = keyOf(tenantId, item, shard)
      keys.set(`${key.pk}\u0000${key.sk}`, key)
    }
  const items = new Map<string, Record<string, unknown>[]>()
  const all = [...keys.values()]
  const chunks: (typeof all)[] = []
  for (let i = 0; i < all.length; i += 100) chunks.push(all.slice(i, i + 100))
  const TableName = config.tableName()
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending: Record<string, unknown>[] = chunk
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt > 5) throw new Error('BatchGetItem left counter keys unprocessed')
        if (attempt) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt))
        const { Responses = {}, UnprocessedKeys = {} } = await getDocumentClient().send(
          new RawBatchGetCommand({ RequestItems: { [TableName]: { Keys: pending } } }),
        )
        for (const found of Responses[TableName] ?? []) {
          const name = String(found.name)
          items.set(name, [...(items.get(name) ?? []), found])
        }
        pending = UnprocessedKeys[TableName]?.Keys ?? []
      }
    }),
  )
  const result: Record<string, number> = {}
  for (const { name, item, attribute, days } of cells) {
    let total = 0
    for (const found of items.get(item) ?? []) {
      if (!days) total += Number(found[attribute] ?? 0)
      else
        for (const [cell, value] of Object.entries(found))
          if (cell.length === days.length + 3 && cell.endsWith(`#${days}`) && /^\d\d#/.test(cell))
            total += Number(value)
    }
    result[name] = total
  }
  return result
}

/**
 * The counter writes that turn the counts of `before` into those of `after`: each counter a record
 * belongs to (`countersOf`) goes −1 for the old state and +1 for the new one, and what cancels out is not
 * written at all. Create = (undefined → record), delete = (record → undefined).
 */
export function counterDeltas<R>(
  countersOf: (record: R) => Omit<CounterChange, 'delta'>[],
  before: R | undefined,
  after: R | undefined,
): CounterChange[] {
  const changes = new Map<string, CounterChange>()
  const move = (record: R | undefined, delta: number) => {
    for (const counter of record ? countersOf(record) : []) {
      const seen = changes.get(counter.name)
      changes.set(counter.name, { ...counter, delta: (seen?.delta ?? 0) + delta })
    }
  }
  move(before, -1)
  move(after, +1)
  return [...changes.values()].filter((c) => c.delta !== 0)
}
