import type { Session } from '../../core/context.js'
import { isAppError, notFound } from '../../core/errors.js'
import { type Collection, type StoredRecord } from '../../db/collection.js'
import { commit, type Write } from '../../db/commit.js'
import { withCustomEntries } from '../../db/custom-index.js'
import { COUNTER_SORT_KEY, type CounterChange } from '../../db/counters.js'
import { decodeCursor } from '../../db/cursor.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import {
  binned,
  editRecord,
  getRecord,
  getRecords,
  listRecords,
  putWrite,
  queryPage,
  versionConflict,
} from '../../db/records.js'
import { activityWrites, audienceOf } from '../activity/activity.js'
import { allow, canWork } from '../scope/scope.js'
import { childrenPartition, type CustomerRecord, Customers } from './record.js'
import { IN_POOL, phoneView, type PhoneView } from './phones.js'
import { customerTabPage } from './queries.js'

/**
 * 联系人 and 跟进: records of a customer. Each lists under its customer (gsi2 `T#t#CUS#<customerId>`,
 * sort key `CON#<id>` / `FUP#<followedAt>#<id>`, with the tab's kept count at `CON#~` / `FUP#~`), so a
 * tab is one Query; and under its creator (gsi3 `T#t#<TAG>#U#<userId>`) for a member's own list. They
 * are visible to whoever sees their customer, and to their creator.
 */
export interface ChildRecord extends StoredRecord {
  customerId: string
  deptId?: string
}

/** A collection of a customer's children, and what its generic verbs need to know of it. */
export interface ChildCollection<R extends ChildRecord = ChildRecord> extends Collection<R> {
  /** what the timeline calls one: 联系人, 跟进记录 */
  noun: string
  /** does it hold phone numbers (masked as its customer's are)? */
  phones: boolean
  /** what its removal writes besides (a primary contact: the customer's pointer) */
  removalWrites?(session: Session, child: R, customer: CustomerRecord): Promise<Write[]>
}

export const defineChild = <R extends ChildRecord>(collection: ChildCollection<R>): ChildCollection<R> =>
  withCustomEntries(collection)

export const tabCounter =
  (tag: string) =>
  (child: ChildRecord): Omit<CounterChange, 'delta'>[] =>
    child.deletedAt
      ? []
      : [
          {
            name: `${tag}#C#${child.customerId}`,
            listedIn: {
              index: 'gsi2',
              pk: childrenPartition(child.tenantId, child.customerId),
              sk: `${tag}#${COUNTER_SORT_KEY}`,
            },
          },
        ]

export const creatorPartition = (tag: string, child: ChildRecord) =>
  tenantKey(child.tenantId, tag, 'U', child.createdBy)

/** The customer a child belongs to, if the caller sees it (else the child "does not exist"). */
export async function customerOf(session: Session, child: { customerId: string }, thing: string) {
  try {
    return await getRecord(Customers, session, child.customerId)
  } catch (error) {
    if (isAppError(error, 'customer.not_found')) throw notFound(thing)
    throw error
  }
}

/** A child by id: its creator sees it; anyone else through its customer (2 reads). */
export async function getChild<R extends ChildRecord>(
  collection: Collection<R>,
  session: Session,
  id: string,
) {
  const child = await getRecord(collection, session, id)
  if (child.createdBy !== session.userId) await customerOf(session, child, collection.name)
  return child
}

/** Children seen by a caller who gets pool numbers masked: their customers (BatchGetItem) say which are in the pool. */
async function viewByCustomer<R extends ChildRecord>(session: Session, items: R[], view: PhoneView) {
  const customers = await getRecords(
    Customers,
    session.tenantId,
    items.map((c) => c.customerId),
  )
  return items.map((c) => view(c, customers.get(c.customerId)))
}

/**
 * A child's activity: on its own timeline and its customer's, in the feed of whoever holds the customer
 * and of the child's creator.
 */
export const childActivity = (
  session: Session,
  collection: Pick<Collection, 'tag' | 'path'>,
  child: ChildRecord,
  customer: CustomerRecord,
  entry: { action: string; summary: string; changes?: { field: string; from?: unknown; to?: unknown }[] },
): Write[] =>
  activityWrites(session, {
    timeline: { tag: collection.tag, id: child.id },
    alsoOn: [{ tag: TAG.customer, id: customer.id }],
    audience: audienceOf(customer, { ownerId: child.createdBy, deptId: child.deptId }),
    recordType: collection.path,
    recordId: child.id,
    ...entry,
  })

/**
 * The edit path of a child: the record, its customer (404 as the child's when the caller does not see
 * it), the caller's right (its creator, or whoever works on the customer), the version they read.
 */
export const editChild = <R extends ChildRecord, A>(
  collection: ChildCollection<R>,
  session: Session,
  id: string,
  {
    version,
    forbidden,
    change,
  }: { version?: number; forbidden: string; change: (current: R, customer: CustomerRecord) => Promise<A> },
) =>
  editRecord(collection, session, id, {
    version,
    through: (current) => customerOf(session, current, collection.name),
    may: (current, { through: customer }) =>
      allow(current.createdBy === session.userId || canWork(session, customer), forbidden),
    change: (current, { through: customer }) => change(current, customer),
  })

/** To the recycle bin (and back with the recycle bin's restore; the tab counts follow). */
export const removeChild = <R extends ChildRecord>(
  collection: ChildCollection<R>,
  session: Session,
  id: string,
) =>
  editChild(collection, session, id, {
    forbidden: '无权删除该记录',
    change: async (current, customer) => {
      const next = binned(session, current)
      await commit([
        putWrite(collection, next, { attr: 'version', eq: current.version }, versionConflict),
        ...collection.sideWrites!(current, next),
        ...((await collection.removalWrites?.(session, current, customer)) ?? []),
        ...childActivity(session, collection, current, customer, {
          action: 'deleted',
          summary: `删除了${collection.noun}「${collection.label(current)}」`,
        }),
      ])
      return next
    },
  })

// ------------------------------------------------------------------------------------------ lists

/**
 * A customer's tab (联系人, 跟进, and any child that lists under the customer with its tag): one Query
 * on gsi2, newest first, with the tab's kept count on the first page. The customer read checks scope.
 * A filter that leaves the page short reads on (`readPage`).
 */
export async function customerTab<R extends ChildRecord>(
  session: Session,
  customerId: string,
  collection: ChildCollection<R>,
  { limit, cursor }: { limit: number; cursor?: string },
  /** a filter on the tab's records (then no total) */
  where?: ChildFilter,
) {
  const customer = await getRecord(Customers, session, customerId)
  const firstPage = !cursor
  // a pool customer's contacts: their numbers are masked as the customer's are
  const view = await phoneView(session, collection.phones ? [customer] : [])
  const filter = filterFor(where, view.masks)
  const { items, count, nextCursor } = await customerTabPage(collection, {
    partition: childrenPartition(session.tenantId, customerId),
    start: decodeCursor(cursor, session.tenantId),
    limit,
    filter,
    withCount: firstPage,
  })
  return {
    items: items.map((c) => view(c, customer)),
    nextCursor,
    total: firstPage && !filter ? (count ?? 0) : null,
  }
}

/**
 * The children lists (`GET /api/contacts`, `/api/followups`): of one customer (its tab); else a
 * member's own (gsi3), a manager's departments' (gsi1, scope filter), or all (admin).
 */
export async function listChildren<R extends ChildRecord>(
  collection: ChildCollection<R>,
  session: Session,
  query: { limit: number; cursor?: string; customerId?: string },
  where: ChildFilter | undefined,
) {
  // a customer's tab answers its kept count on the first page (共有 N 条记录); the other lists keep none
  if (query.customerId) return customerTab(session, query.customerId, collection, query, where)
  if (session.role === 'member') {
    // a member's own contacts may belong to customers released to the pool since
    const view = await phoneView(session, collection.phones ? [IN_POOL] : [])
    const filter = filterFor(where, view.masks)
    const { items, nextCursor } = await queryPage(collection, session, {
      index: 'gsi3',
      partition: tenantKey(session.tenantId, collection.tag, 'U', session.userId),
      limit: query.limit,
      cursor: query.cursor,
      filter,
    })
    return {
      items: view.masks && items.length ? await viewByCustomer(session, items, view) : items,
      nextCursor,
      total: null,
    }
  }
  const scope =
    session.role === 'manager'
      ? {
          or: [
            { attr: 'deptId', in: session.scopeDeptIds.length ? session.scopeDeptIds : ['-'] },
            { attr: 'createdBy', eq: session.userId },
          ],
        }
      : undefined
  const page = await listRecords(collection, session, {
    limit: query.limit,
    cursor: query.cursor,
    // managers and admins see pool numbers whole
    filter: all(scope, filterFor(where, false)),
  })
  return { ...page, total: null }
}

/**
 * A children list's filter, or one that depends on whether the caller gets the numbers of the records
 * masked (a member meeting pool customers while the tenant masks them): decided once that is known.
 */
export type ChildFilter = Filter | ((phonesMasked: boolean) => Filter | undefined)
const filterFor = (where: ChildFilter | undefined, phonesMasked: boolean) =>
  typeof where === 'function' ? where(phonesMasked) : where
