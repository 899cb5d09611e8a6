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
import { rawPartitionPages } from './pages.js'
import { table } from './table.js'

/**
 * Kept counts, moved with ADD inside the transaction of the change that causes it, so a count never
 * needs a scan and is never off by a half-written change.
 *
 * **Names and cells.** A counter has a name; it is kept as one attribute (a *cell*) of a counter item
 * (`T#t#CNT#<item>`, sort key `#`). A plain counter is the `count` of an item of its own name.
 *
 * **Report counters: one item per owner and month.** A contribution (domain/stats) is written as
 * `R#W#<owner or ->#<YYYY-MM-DD>#<metric>[|<dept>]`: the cell `<DD>#<metric>[|<dept>]` of its owner's
 * month item `R#U#<owner>#<YYYY-MM>` (no owner: `R#X#<YYYY-MM>`, sharded). Every such item is listed in
 * the tenant's month partition (gsi1 `T#t#CNT#R#M#<YYYY-MM>` → `<owner>` / `X<s>`). A report counter is
 * read by subject (`R#<U#owner · D#dept · T>#<YYYY-MM[-DD]>#<metric>`): a person's is the sum of their
 * month item's cells of that day (or every day) and metric; a department's and the tenant's the sum over
 * the month partition (one Query a month, paged), of the cells of that department or of all. So a write
 * moves one report item whatever its metrics and subjects (it moved three: the owner's, the
 * department's and the tenant's), and no two people's writes meet on one.
 *
 * **Shards.** A counter that every writer of a tenant or of a department moves (`isSharded`: the
 * ownerless report items, the whole-tenant, pool and department list counts) is
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

/** a report contribution as written: owner (`-`: none), day, metric, department */
const REPORT_WRITE = /^R#W#([^#]+)#(\d{4}-\d{2})-(\d{2})#([^|]+)(?:\|(.+))?$/
/** a report counter as read: subject, month, day, metric */
const REPORT_READ = /^R#(T|[UD]#[^#]+)#(\d{4}-\d{2})(?:-(\d{2}))?#(.+)$/
/** a report item: an owner's month, or the ownerless month (sharded) */
const REPORT_ITEM = /^R#(?:U#([^#]+)|X)#(\d{4}-\d{2})$/
/** a report item's cell: day, metric, department */
const REPORT_CELL = /^(\d\d)#([^|]+)(?:\|(.+))?$/
/** whole-tenant, pool and department list counts (customers, leads) */
const HOT_LISTS = /^(?:CUS|CUS#POOL|CUS#D#[^#]+|LEAD)$/

/** Is the counter one every writer of a tenant or a department moves (kept in `SHARDS` items)? */
export const isSharded = (name: string) => /^R#X#/.test(name) || HOT_LISTS.test(name)

/**
 * The name a report contribution is written under (domain/stats): a cell of its owner's month item,
 * marked with its department.
 */
export const reportCounter = (c: { ownerId?: string; deptId?: string; day: string; metric: string }) =>
  `R#W#${c.ownerId ?? '-'}#${c.day}#${c.metric}${c.deptId ? `|${c.deptId}` : ''}`

/** Where a counter is kept: its item and attribute. */
export function cellOf(name: string): { item: string; attribute: string } {
  const report = REPORT_WRITE.exec(name)
  if (!report) {
    if (REPORT_READ.test(name))
      throw new Error(`${name} is read from its subject's items: write a contribution`)
    return { item: name, attribute: 'count' }
  }
  const [, owner, month, day, metric, dept] = report
  return {
    item: owner === '-' ? `R#X#${month}` : `R#U#${owner}#${month}`,
    attribute: `${day}#${metric}${dept ? `|${dept}` : ''}`,
  }
}

/** The tenant's month partition of report items (gsi1), where a department's and the tenant's are summed. */
const reportMonthPartition = (tenantId: string, month: string) =>
  tenantKey(tenantId, TAG.counter, `R#M#${month}`)

/** A report item's listing in its month partition (gsi1 → owner, or `X<shard>`). */
function reportListing(tenantId: string, item: string, shard: number): Record<string, string> {
  const report = REPORT_ITEM.exec(item)
  if (!report) return {}
  const [, owner, month] = report
  return {
    gsi1pk: reportMonthPartition(tenantId, month),
    gsi1sk: owner ?? `X${shard ? String(shard) : ''}`,
  }
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
    for (const [key, value] of Object.entries(reportListing(this.tenantId, this.item, this.shard))) {
      names[`#${key}`] = key
      values[`:${key}`] = value
      sets.push(`#${key} = :${key}`)
    }
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
  const { item } = cellOf(change.name)
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
      ...reportListing(tenantId, item, 0),
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

/** Items by key, in BatchGetItems of 100 keys in parallel (unprocessed keys asked again), by `name`. */
async function getCounterItems(keys: { pk: string; sk: string }[]) {
  const items = new Map<string, Record<string, unknown>[]>()
  const chunks: (typeof keys)[] = []
  for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100))
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
  return items
}

/** Every report item of a month (the tenant's month partition, gsi1), a page (1 MB) a Query. */
async function reportItemsOf(tenantId: string, month: string) {
  const items: Record<string, unknown>[] = []
  for await (const page of rawPartitionPages('gsi1', reportMonthPartition(tenantId, month)))
    items.push(...page)
  return items
}

/**
 * Report counters by subject (`R#<U#owner · D#dept · T>#<YYYY-MM[-DD]>#<metric>`): a person's from their
 * month items (BatchGetItem), a department's and the tenant's from the month partitions (one Query a
 * month, paged), each the sum of the cells of its day (or every day of the month), metric and
 * department.
 */
async function readReports(tenantId: string, names: string[]): Promise<Record<string, number>> {
  const wanted = names.map((name) => {
    const [, subject, month, day, metric] = REPORT_READ.exec(name)!
    return { name, subject, month, day, metric }
  })
  const personal = wanted.filter((w) => w.subject.startsWith('U#'))
  const months = [...new Set(wanted.filter((w) => !w.subject.startsWith('U#')).map((w) => w.month))]
  const [owned, monthly] = await Promise.all([
    getCounterItems([
      ...new Map(
        personal.map((w) => {
          const key = keyOf(tenantId, `R#${w.subject}#${w.month}`, 0)
          return [key.pk, key]
        }),
      ).values(),
    ]),
    Promise.all(months.map(async (month) => [month, await reportItemsOf(tenantId, month)] as const)),
  ])
  const byMonth = new Map(monthly)
  const result: Record<string, number> = {}
  for (const { name, subject, month, day, metric } of wanted) {
    const items = subject.startsWith('U#') ? (owned.get(`R#${subject}#${month}`) ?? []) : byMonth.get(month)!
    const dept = subject.startsWith('D#') ? subject.slice(2) : undefined
    let total = 0
    for (const item of items)
      for (const [attribute, value] of Object.entries(item)) {
        const cell = REPORT_CELL.exec(attribute)
        if (!cell || cell[2] !== metric || (day && cell[1] !== day) || (dept && cell[3] !== dept)) continue
        total += Number(value)
      }
    result[name] = total
  }
  return result
}

/**
 * Current values of some counters (missing = 0): their items, every shard, in BatchGetItems of 100 keys
 * in parallel, summed; report counters as `readReports` says.
 */
export async function readCounters(
  tenantId: string,
  names: Iterable<string>,
): Promise<Record<string, number>> {
  const unique = [...new Set(names)]
  const reports = unique.filter((name) => REPORT_READ.test(name))
  const cells = unique.filter((name) => !REPORT_READ.test(name)).map((name) => ({ name, ...cellOf(name) }))
  const keys = new Map<string, { pk: string; sk: string }>()
  for (const { item } of cells)
    for (let shard = 0; shard < shardsOf(item); shard++) {
      const key = keyOf(tenantId, item, shard)
      keys.set(`${key.pk}\u0000${key.sk}`, key)
    }
  const [items, reported] = await Promise.all([
    getCounterItems([...keys.values()]),
    reports.length ? readReports(tenantId, reports) : {},
  ])
  const result: Record<string, number> = {}
  for (const { name, item, attribute } of cells)
    result[name] = (items.get(item) ?? []).reduce((sum, found) => sum + Number(found[attribute] ?? 0), 0)
  return { ...result, ...reported }
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
