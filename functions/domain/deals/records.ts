import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { $add } from 'dynamodb-toolbox/entity/actions/update/symbols'
import type { Page } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { forbidden, notFound, unprocessable } from '../../core/errors.js'
import type { Write } from '../../db/commit.js'
import type { Collection, StoredRecord } from '../../db/collection.js'
import { CustomerEntity } from '../../db/entities/lifecycle.js'
import { tenantKey } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import { binned, editRecord, queryPage, replaceRecord } from '../../db/records.js'
import { canChange, canSee, resolveOwner, type Owner } from '../scope/scope.js'
import { dealActivity } from './activity.js'

/**
 * What the deal records (opportunities, contracts, plans, payments, invoices) share: each has an owner
 * and the owner's department, and hangs off a customer. API.md: a child record is visible to whoever
 * sees its customer, and to its own owner (and, through the owner's department, to their managers).
 */
export interface OwnedRecord extends StoredRecord {
  ownerId: string
  deptId?: string
  customerId: string
}

/**
 * A deal change's writes to its customers: `counter` moves by each customer's delta, and the customer of
 * a new won deal gets `lastWonAt`, which restarts its "no won deal" recycle clock. A customer that is
 * gone fails the transaction with 422.
 */
export function customerCounterWrites(
  tenantId: string,
  counter: 'wonAmount' | 'openOpportunities',
  deltas: Map<string, number>,
  won: { customerId: string; at: string } | undefined,
  noun: string,
): Write[] {
  if (won && !deltas.has(won.customerId)) deltas.set(won.customerId, 0)
  return [...deltas]
    .filter(([customerId, delta]) => delta !== 0 || customerId === won?.customerId)
    .map(([customerId, delta]) => ({
      action: CustomerEntity.build(UpdateTransaction)
        .item({
          tenantId,
          id: customerId,
          ...(counter === 'wonAmount' ? { wonAmount: $add(delta) } : { openOpportunities: $add(delta) }),
          ...(customerId === won?.customerId ? { lastWonAt: won.at } : {}),
          version: $add(1),
        })
        .options({ condition: { attr: 'id', exists: true } }),
      onConditionFail: () => unprocessable('customer.not_found', `${noun}的客户不存在`),
    }))
}

export async function readCustomer(session: Session, customerId: string) {
  const { Item } = await CustomerEntity.build(GetItemCommand)
    .key({ tenantId: session.tenantId, id: customerId })
    .options({ consistent: true })
    .send()
  return Item && !Item.deletedAt ? Item : undefined
}

/** The customer a new record hangs off: it must exist and be visible (404 otherwise). */
export async function visibleCustomer(session: Session, customerId: string) {
  const customer = await readCustomer(session, customerId)
  if (!customer || !canSee(session, customer)) throw notFound('customer', '客户不存在')
  return customer
}

/** A deal record's `visible`: own scope first (no read); otherwise its customer decides (one read). */
export async function seesDeal(session: Session, record: OwnedRecord): Promise<boolean> {
  if (canSee(session, record)) return true
  const customer = await readCustomer(session, record.customerId)
  return !!customer && canSee(session, customer)
}

/** Edits need more than sight: the owner, or a manager/admin over the owner. */
export function ensureChangeable(session: Session, record: OwnedRecord): void {
  if (!canChange(session, record)) throw forbidden('只有负责人或其主管可以修改')
}

/**
 * The owner of a new record, or the new owner on a change: what a member creates is theirs, and a
 * member may not reassign (403); a manager may name people in their departments, an admin anyone.
 */
export async function ownerFor(
  session: Session,
  requested: string | undefined,
  current?: Owner,
): Promise<Owner> {
  const self = { id: session.userId, deptId: session.deptIds[0] }
  if (!requested || requested === current?.id) return current ?? self
  if (session.role === 'member') {
    // as for customers: what a member creates is theirs; reassigning is a manager's action
    if (!current) return self
    throw forbidden('只有主管或管理员可以调整负责人')
  }
  return resolveOwner(session, requested)
}

/**
 * 删除 of a deal record: to the recycle bin through the collection's side writes (counters, derived
 * amounts), by its owner or their managers, when `may` lets it go.
 */
export const removeDeal = <R extends OwnedRecord>(
  collection: Collection<R>,
  session: Session,
  id: string,
  may?: (current: R) => void,
): Promise<R> =>
  editRecord(collection, session, id, {
    may: (current) => {
      ensureChangeable(session, current)
      may?.(current)
    },
    change: (current) => {
      const next = binned(session, current)
      return replaceRecord(collection, current, next, dealActivity(session, collection, current, next))
    },
  })

/**
 * A list page within the caller's scope, one Query (more when a filter leaves it short: `readPage`):
 * - under a visible parent (`customerId` / `contractId`): the parent's tab on gsi2, everything in it
 *   (a parent without a tab of this collection: its partition on gsi1, which the filter narrows to it);
 * - a member: their own records (gsi3 by owner);
 * - a manager: the collection (gsi1) filtered to their departments and themselves;
 * - an admin: the collection (gsi1).
 */
export async function listScoped<R extends OwnedRecord>(
  collection: Collection<R>,
  session: Session,
  query: { limit: number; cursor?: string; ownerId?: string },
  {
    parent,
    filter,
  }: {
    /** the parent's tab (gsi2 unless named), after the caller checked they may see the parent */
    parent?: { index?: 'gsi1' | 'gsi2'; partition: string; prefix?: string }
    filter?: Filter
  },
): Promise<Page<R>> {
  const { limit, cursor, ownerId } = query
  const owner = ownerId && { attr: 'ownerId', eq: ownerId }
  if (parent) {
    return queryPage(collection, session, {
      index: parent.index ?? 'gsi2',
      partition: parent.partition,
      beginsWith: parent.prefix,
      limit,
      cursor,
      filter: all(filter, owner),
    })
  }
  const byOwner = (id: string, scopeFilter?: Filter) =>
    queryPage(collection, session, {
      index: 'gsi3',
      partition: tenantKey(session.tenantId, collection.tag, 'U', id),
      limit,
      cursor,
      filter: all(filter, scopeFilter),
    })
  if (session.role === 'member') {
    if (ownerId && ownerId !== session.userId) return { items: [], nextCursor: null }
    return byOwner(session.userId)
  }
  const managerScope = session.role === 'manager' && {
    or: [
      { attr: 'ownerId', eq: session.userId },
      ...(session.scopeDeptIds.length ? [{ attr: 'deptId', in: session.scopeDeptIds.slice(0, 99) }] : []),
    ],
  }
  if (ownerId) return byOwner(ownerId, managerScope)
  return queryPage(collection, session, {
    index: 'gsi1',
    partition: tenantKey(session.tenantId, collection.tag),
    limit,
    cursor,
    filter: all(filter, managerScope),
  })
}

/** Index keys every owned record gets: a person's own list on gsi3. */
export const ownerIndex = (tag: string, record: OwnedRecord) => ({
  gsi3pk: tenantKey(record.tenantId, tag, 'U', record.ownerId),
  gsi3sk: record.id,
})

/** Date range conditions on a `YYYY-MM-DD` attribute. */
export const dateRange = (attr: string, from?: string, to?: string): Filter | undefined =>
  all(from && { attr, gte: from }, to && { attr, lte: to })
