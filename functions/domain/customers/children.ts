import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type * as z from 'zod'
import {
  Contact,
  type ContactFilter,
  type ContactInput,
  FollowUp,
  type FollowUpFilter,
  type FollowUpInput,
} from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { conflict, isAppError, notFound } from '../../core/errors.js'
import { type Collection, defineCollection, type StoredRecord } from '../../db/collection.js'
import { commit, type Write } from '../../db/commit.js'
import {
  COUNTER_SORT_KEY,
  CounterEntity,
  counterDeltas,
  counterWrite,
  type CounterChange,
} from '../../db/counters.js'
import { decodeCursor } from '../../db/cursor.js'
import { entryDiff } from '../../db/entries.js'
import { ContactEntity, FollowUpEntity } from '../../db/entities/lifecycle.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import { readPage } from '../../db/pages.js'
import { getRecord, getRecords, listRecords, newRecord, putWrite } from '../../db/records.js'
import { table } from '../../db/table.js'
import { activityWrite } from '../activity/activity.js'
import { childrenPartition, type CustomerRecord, Customers, customerWrites } from './record.js'
import { IN_POOL, phoneView, type PhoneView } from './phones.js'
import { retryOnConflict, versionConflict } from '../../db/retry.js'
import { allow, canWork } from '../scope/scope.js'
import { searchEntries } from '../search/entries.js'
import { followUpContributions, statWrites } from '../stats/contributions.js'

/**
 * 联系人 and 跟进: records of a customer. Each lists under its customer (gsi2 `T#t#CUS#<customerId>`,
 * sort key `CON#<id>` / `FUP#<followedAt>#<id>`, with the tab's kept count at `CON#~` / `FUP#~`), so a
 * tab is one Query; and under its creator (gsi3 `T#t#<TAG>#U#<userId>`) for a member's own list. They
 * are visible to whoever sees their customer, and to their creator.
 */
export type ContactRecord = StoredRecord & z.output<typeof Contact> & { deptId?: string }
export type FollowUpRecord = StoredRecord & z.output<typeof FollowUp> & { deptId?: string }
type Child = ContactRecord | FollowUpRecord

const tabCounter =
  (tag: string) =>
  (child: Child): Omit<CounterChange, 'delta'>[] =>
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

const creatorPartition = (tag: string, child: Child) => tenantKey(child.tenantId, tag, 'U', child.createdBy)

export const Contacts = defineCollection<ContactRecord>({
  name: 'contact',
  path: 'contacts',
  tag: TAG.contact,
  entity: ContactEntity,
  schema: Contact,
  label: (c) => c.name,
  indexKeys: (c) => ({
    gsi2pk: childrenPartition(c.tenantId, c.customerId),
    gsi2sk: `${TAG.contact}#${c.id}`,
    gsi3pk: creatorPartition(TAG.contact, c),
    gsi3sk: c.id,
  }),
  sideWrites: (before, after) => {
    const entries = (c: ContactRecord | undefined) =>
      !c || c.deletedAt
        ? []
        : searchEntries(c.tenantId, 'contacts', {
            id: c.id,
            name: c.name,
            phones: [c.mobile, c.officePhone],
            customerId: c.customerId,
          })
    return [
      ...counterDeltas(tabCounter(TAG.contact), before, after).map((c) => counterWrite(after.tenantId, c)),
      ...entryDiff(entries(before), entries(after)),
    ]
  },
})

export const FollowUps = defineCollection<FollowUpRecord>({
  name: 'followup',
  path: 'followups',
  tag: TAG.followUp,
  entity: FollowUpEntity,
  schema: FollowUp,
  label: (f) => f.content.slice(0, 30),
  indexKeys: (f) => ({
    gsi2pk: childrenPartition(f.tenantId, f.customerId),
    gsi2sk: `${TAG.followUp}#${f.followedAt}#${f.id}`,
    gsi3pk: creatorPartition(TAG.followUp, f),
    gsi3sk: `${f.followedAt}#${f.id}`,
  }),
  sideWrites: (before, after) => [
    ...counterDeltas(tabCounter(TAG.followUp), before, after).map((c) => counterWrite(after.tenantId, c)),
    // 跟进 in the reports: for its author on its day
    ...statWrites(followUpContributions, before, after),
  ],
})

/** The customer a child belongs to, if the caller sees it (else the child "does not exist"). */
async function customerOf(session: Session, child: { customerId: string }, thing: string) {
  try {
    return await getRecord(Customers, session, child.customerId)
  } catch (error) {
    if (isAppError(error, 'customer.not_found')) throw notFound(thing)
    throw error
  }
}

/** A child by id: its creator sees it; anyone else through its customer (2 reads). */
export async function getChild<R extends Child>(collection: Collection<R>, session: Session, id: string) {
  const child = await getRecord(collection, session, id)
  if (child.createdBy !== session.userId) await customerOf(session, child, collection.name)
  return child
}

/**
 * A contact as the caller sees it (`GET /api/contacts/{id}`): its numbers masked as its customer's are.
 * A member who created it also reads the customer, to know whether it is in the pool.
 */
export async function viewContact(session: Session, id: string): Promise<ContactRecord> {
  const contact = await getRecord(Contacts, session, id)
  const customer =
    contact.createdBy !== session.userId
      ? await customerOf(session, contact, 'contact')
      : session.role === 'member'
        ? await getRecord(Customers, session, contact.customerId).catch(() => undefined)
        : undefined
  return (await phoneView(session, customer ? [customer] : []))(contact, customer)
}

/** Children seen by a caller who gets pool numbers masked: their customers (BatchGetItem) say which are in the pool. */
async function viewByCustomer<R extends Child>(session: Session, items: R[], view: PhoneView) {
  const customers = await getRecords(
    Customers,
    session.tenantId,
    items.map((c) => c.customerId),
  )
  return items.map((c) => view(c, customers.get(c.customerId)))
}

const timeline = (customer: { id: string }) => ({ tag: TAG.customer, id: customer.id })
const toUtc = (at: string | undefined) => (at ? new Date(at).toISOString() : undefined)

// -------------------------------------------------------------------------------------- contacts

/**
 * One primary contact per customer, named by the customer's `primaryContactId`: making a contact
 * primary demotes the previous one and moves the customer's pointer in the same transaction.
 */
async function primaryWrites(
  session: Session,
  customer: CustomerRecord,
  contactId: string | undefined,
): Promise<Write[]> {
  if (customer.primaryContactId === contactId) return []
  const writes: Write[] = []
  if (customer.primaryContactId) {
    const previous = await getRecord(Contacts, session, customer.primaryContactId).catch(() => undefined)
    if (previous && previous.id !== contactId) {
      const demoted = { ...previous, isPrimary: false, updatedAt: nowIso(), version: previous.version + 1 }
      writes.push(putWrite(Contacts, demoted, { attr: 'version', eq: previous.version }, versionConflict))
    }
  }
  const next = {
    ...customer,
    primaryContactId: contactId,
    updatedAt: nowIso(),
    version: customer.version + 1,
  }
  return [...writes, ...customerWrites(customer, next)]
}

export function contactWrites(
  session: Session,
  contact: ContactRecord,
  customer: { id: string; name: string },
) {
  return [
    putWrite(Contacts, contact, { attr: 'id', exists: false }, () =>
      conflict('contact.duplicate', 'id 冲突'),
    ),
    ...Contacts.sideWrites!(undefined, contact),
    activityWrite(session, {
      timeline: timeline(customer),
      recordType: 'contacts',
      recordId: contact.id,
      action: 'contact_added',
      summary: `为客户「${customer.name}」添加了联系人「${contact.name}」`,
    }),
  ]
}

export function createContact(
  session: Session,
  input: z.output<typeof ContactInput>,
): Promise<ContactRecord> {
  return retryOnConflict(async () => {
    const customer = await customerOf(session, input, 'customer')
    allow(canWork(session, customer), '只有负责人、协助跟进人或其上级可以添加联系人')
    const isPrimary = input.isPrimary || !customer.primaryContactId
    const contact = newRecord(session, { ...input, isPrimary, deptId: session.deptIds[0] }) as ContactRecord
    const writes = [
      ...contactWrites(session, contact, customer),
      ...(isPrimary ? await primaryWrites(session, customer, contact.id) : []),
    ]
    await commit(writes, contact)
    return contact
  })
}

export async function updateContact(
  session: Session,
  id: string,
  { version, ...changes }: Partial<Omit<z.output<typeof ContactInput>, 'customerId'>> & { version: number },
): Promise<ContactRecord> {
  const current = await getRecord(Contacts, session, id)
  const customer = await customerOf(session, current, 'contact')
  allow(canWork(session, customer) || current.createdBy === session.userId, '无权修改该联系人')
  if (current.version !== version) throw versionConflict()
  const next = {
    ...current,
    ...changes,
    customerId: current.customerId,
    updatedAt: nowIso(),
    version: version + 1,
  }
  const becamePrimary = next.isPrimary && customer.primaryContactId !== id
  const leftPrimary = !next.isPrimary && customer.primaryContactId === id
  await commit(
    [
      putWrite(Contacts, next, { attr: 'version', eq: current.version }, versionConflict),
      ...Contacts.sideWrites!(current, next),
      ...(becamePrimary || leftPrimary
        ? await primaryWrites(session, customer, becamePrimary ? id : undefined)
        : []),
      activityWrite(session, {
        timeline: timeline(customer),
        recordType: 'contacts',
        recordId: id,
        action: 'contact_updated',
        summary: `修改了联系人「${next.name}」`,
      }),
    ],
    next,
  )
  return next
}

// ------------------------------------------------------------------------------------- follow-ups

/**
 * 写跟进: the follow-up, the customer's `lastFollowUpAt` (only ever forward) and its recycle clock,
 * the tab count and the timeline entry, in one transaction.
 */
export function createFollowUp(
  session: Session,
  input: z.output<typeof FollowUpInput>,
): Promise<FollowUpRecord> {
  return retryOnConflict(async () => {
    const customer = await customerOf(session, input, 'customer')
    allow(canWork(session, customer), '只有负责人、协助跟进人或其上级可以写跟进')
    const followedAt = toUtc(input.followedAt)!
    const followUp = newRecord(session, {
      ...input,
      followedAt,
      nextFollowUpAt: toUtc(input.nextFollowUpAt),
      deptId: session.deptIds[0],
    }) as FollowUpRecord
    const moves = !customer.lastFollowUpAt || customer.lastFollowUpAt < followedAt
    const writes: Write[] = [
      putWrite(FollowUps, followUp, { attr: 'id', exists: false }, () =>
        conflict('followup.duplicate', 'id 冲突'),
      ),
      ...FollowUps.sideWrites!(undefined, followUp),
      ...(moves
        ? customerWrites(customer, {
            ...customer,
            lastFollowUpAt: followedAt,
            updatedAt: nowIso(),
            version: customer.version + 1,
          })
        : []),
      activityWrite(session, {
        timeline: timeline(customer),
        recordType: 'followups',
        recordId: followUp.id,
        action: 'followed_up',
        summary: `跟进了客户「${customer.name}」：${input.content.slice(0, 60)}`,
      }),
    ]
    await commit(writes, followUp)
    return followUp
  })
}

export async function updateFollowUp(
  session: Session,
  id: string,
  { version, ...changes }: Partial<Omit<z.output<typeof FollowUpInput>, 'customerId'>> & { version: number },
): Promise<FollowUpRecord> {
  const current = await getRecord(FollowUps, session, id)
  const customer = await customerOf(session, current, 'followup')
  allow(current.createdBy === session.userId || canWork(session, customer), '无权修改该跟进记录')
  if (current.version !== version) throw versionConflict()
  const next: FollowUpRecord = {
    ...current,
    ...changes,
    customerId: current.customerId,
    followedAt: toUtc(changes.followedAt) ?? current.followedAt,
    // present but undefined: cleared by the PATCH
    nextFollowUpAt: 'nextFollowUpAt' in changes ? toUtc(changes.nextFollowUpAt) : current.nextFollowUpAt,
    updatedAt: nowIso(),
    version: version + 1,
  }
  const moves = !customer.lastFollowUpAt || customer.lastFollowUpAt < next.followedAt
  await commit(
    [
      putWrite(FollowUps, next, { attr: 'version', eq: current.version }, versionConflict),
      ...FollowUps.sideWrites!(current, next),
      ...(moves
        ? customerWrites(customer, {
            ...customer,
            lastFollowUpAt: next.followedAt,
            updatedAt: nowIso(),
            version: customer.version + 1,
          })
        : []),
    ],
    next,
  )
  return next
}

/** To the recycle bin (and back with the recycle bin's restore; the tab counts follow). */
export async function removeChild<R extends Child>(collection: Collection<R>, session: Session, id: string) {
  const current = await getRecord(collection, session, id)
  const customer = await customerOf(session, current, collection.name)
  allow(current.createdBy === session.userId || canWork(session, customer), '无权删除该记录')
  const at = nowIso()
  const next = {
    ...current,
    deletedAt: at,
    deletedBy: session.userId,
    updatedAt: at,
    version: current.version + 1,
  }
  const wasPrimary = collection === (Contacts as unknown) && customer.primaryContactId === id
  await commit([
    putWrite(collection, next, { attr: 'version', eq: current.version }, versionConflict),
    ...collection.sideWrites!(current, next),
    ...(wasPrimary ? await primaryWrites(session, customer, undefined) : []),
    activityWrite(session, {
      timeline: timeline(customer),
      recordType: collection.path,
      recordId: id,
      action: 'deleted',
      summary: `删除了${collection === (Contacts as unknown) ? '联系人' : '跟进记录'}「${collection.label(current)}」`,
    }),
  ])
  return next
}

// ------------------------------------------------------------------------------------------ lists

/**
 * A customer's tab (联系人, 跟进, and any child that lists under the customer with its tag): one Query
 * on gsi2, newest first, with the tab's kept count on the first page. The customer read checks scope.
 * A filter that leaves the page short reads on (`readPage`).
 */
export async function customerTab<R extends StoredRecord>(
  session: Session,
  customerId: string,
  collection: Collection<R>,
  { limit, cursor }: { limit: number; cursor?: string },
  /** a filter on the tab's records (then no total) */
  where?: ChildFilter,
) {
  const customer = await getRecord(Customers, session, customerId)
  const firstPage = !cursor
  // a pool customer's contacts: their numbers are masked as the customer's are
  const view = await phoneView(session, collection === (Contacts as unknown) ? [customer] : [])
  const filter = filterFor(where, view.masks)
  const params = table
    .build(QueryCommand)
    .entities(collection.entity, CounterEntity)
    .query({
      index: 'gsi2',
      partition: childrenPartition(session.tenantId, customerId),
      range: { beginsWith: `${collection.tag}#` },
    })
    .options({
      limit: limit + (firstPage ? 1 : 0),
      reverse: true,
      exclusiveStartKey: decodeCursor(cursor, session.tenantId),
      ...(filter && { filters: { [collection.entity.entityName]: filter } }),
    })
    .params()
  const isCount = (i: Record<string, unknown>) => i.gsi2sk === `${collection.tag}#${COUNTER_SORT_KEY}`
  const { items: read, nextCursor } = await readPage(params, { limit, extra: isCount })
  const counter = read.find(isCount) as { count: number } | undefined
  const items = read.filter((i) => !isCount(i)) as R[]
  return {
    items: items.map((c) => view(c, customer)),
    nextCursor,
    total: firstPage && !filter ? (counter?.count ?? 0) : null,
  }
}

/**
 * The children lists (`GET /api/contacts`, `/api/followups`): of one customer (its tab); else a
 * member's own (gsi3), a manager's departments' (gsi1, scope filter), or all (admin).
 */
export async function listChildren<R extends Child>(
  collection: Collection<R>,
  session: Session,
  query: { limit: number; cursor?: string; customerId?: string },
  where: ChildFilter | undefined,
) {
  if (query.customerId) {
    const { items, nextCursor } = await customerTab(session, query.customerId, collection, query, where)
    return { items, nextCursor }
  }
  if (session.role === 'member') {
    // a member's own contacts may belong to customers released to the pool since
    const view = await phoneView(session, collection === (Contacts as unknown) ? [IN_POOL] : [])
    const filter = filterFor(where, view.masks)
    const params = table
      .build(QueryCommand)
      .entities(collection.entity)
      .query({ index: 'gsi3', partition: tenantKey(session.tenantId, collection.tag, 'U', session.userId) })
      .options({
        limit: query.limit,
        reverse: true,
        exclusiveStartKey: decodeCursor(query.cursor, session.tenantId),
        ...(filter && { filters: { [collection.entity.entityName]: filter } }),
      })
      .params()
    const { items: read, nextCursor } = await readPage(params, { limit: query.limit })
    const items = read as R[]
    return {
      items: view.masks && items.length ? await viewByCustomer(session, items, view) : items,
      nextCursor,
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
  return listRecords(collection, session, {
    limit: query.limit,
    cursor: query.cursor,
    // managers and admins see pool numbers whole
    filter: all(scope, filterFor(where, false)),
  })
}

/**
 * A children list's filter, or one that depends on whether the caller gets the numbers of the records
 * masked (a member meeting pool customers while the tenant masks them): decided once that is known.
 */
export type ChildFilter = Filter | ((phonesMasked: boolean) => Filter | undefined)
const filterFor = (where: ChildFilter | undefined, phonesMasked: boolean) =>
  typeof where === 'function' ? where(phonesMasked) : where

/**
 * `q` matches a contact's name or mobile; for a caller who gets pool numbers masked, only the whole
 * mobile, so its digits cannot be probed a part at a time.
 */
export const contactFilter =
  (f: z.output<typeof ContactFilter>) =>
  (phonesMasked: boolean): Filter | undefined =>
    all(
      f.q && {
        or: [
          { attr: 'name', contains: f.q },
          phonesMasked ? { attr: 'mobile', eq: f.q } : { attr: 'mobile', contains: f.q },
        ],
      },
    )

export const followUpFilter = (f: z.output<typeof FollowUpFilter>): Filter | undefined =>
  all(
    f.q && { attr: 'content', contains: f.q },
    f.method && { attr: 'method', eq: f.method },
    f.followedFrom && { attr: 'followedAt', gte: new Date(`${f.followedFrom}T00:00:00+08:00`).toISOString() },
    f.followedTo && {
      attr: 'followedAt',
      lt: new Date(Date.parse(`${f.followedTo}T00:00:00+08:00`) + 86400000).toISOString(),
    },
  )
