import { Entity } from 'dynamodb-toolbox/entity'
import { BatchGetCommand, execute as executeBatchGet } from 'dynamodb-toolbox/table/actions/batchGet'
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet'
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { $add } from 'dynamodb-toolbox/entity/actions/update/symbols'
import { item } from 'dynamodb-toolbox/schema/item'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import type { AppError } from '../core/errors.js'
import type { Write } from './commit.js'
import { tenantKey, TAG } from './entities/record.js'
import { table } from './table.js'

/**
 * Kept counts: one item per counter (`T#t#CNT#<name>`), moved with ADD inside the transaction of the
 * change that causes it, so a count never needs a scan and is never off by a half-written change.
 *
 * A counter may also be *listed at the head* of a list partition (`listedIn`): it then carries that
 * index's keys with the sort key `~`, which sorts after every ULID, so the first page of the list's
 * reverse Query returns the count with the items — "共有 N 条记录" costs no extra call.
 */
export const CounterEntity = new Entity({
  name: 'counters',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    name: string().key(),
    count: number(),
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

/** The index keys that list a counter at the head of its partition. */
const listing = ({ listedIn }: Pick<CounterChange, 'listedIn'>) =>
  listedIn
    ? {
        [`${listedIn.index}pk`]: listedIn.pk,
        [`${listedIn.index}sk`]: listedIn.sk ?? COUNTER_SORT_KEY,
        ...(listedIn.altsk && { altsk: listedIn.altsk }),
      }
    : {}

/** A counter item holding `count` outright (bulk loads and rebuilds; requests use `counterWrite`). */
export const counterItem = (tenantId: string, counter: Omit<CounterChange, 'delta'>, count: number) => ({
  tenantId,
  name: counter.name,
  count,
  ...listing(counter),
})

/** The write that moves one counter. */
export function counterWrite(tenantId: string, change: CounterChange): Write {
  const { name, delta, max, onMaxExceeded } = change
  const action = CounterEntity.build(UpdateTransaction).item({
    tenantId,
    name,
    count: $add(delta),
    ...listing(change),
  })
  if (max === undefined || delta <= 0) return { action, counter: change }
  return {
    counter: change,
    // The count before this ADD must leave room for the delta.
    action: action.options({
      condition: {
        or: [
          { attr: 'count', exists: false },
          { attr: 'count', lte: max - delta },
        ],
      },
    }),
    onConditionFail: onMaxExceeded,
  }
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

/** Current values of some counters (missing = 0), one BatchGetItem. */
export async function readCounters(tenantId: string, names: string[]): Promise<Record<string, number>> {
  const result: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]))
  for (let i = 0; i < names.length; i += 100) {
    const requests = names
      .slice(i, i + 100)
      .map((name) => CounterEntity.build(BatchGetRequest).key({ tenantId, name }))
    const command = table.build(BatchGetCommand).requests(...requests)
    const { Responses } = await executeBatchGet(command)
    for (const counter of (Responses?.[0] ?? []) as ({ name: string; count: number } | undefined)[]) {
      if (counter) result[counter.name] = counter.count
    }
  }
  return result
}
