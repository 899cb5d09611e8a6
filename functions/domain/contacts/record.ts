import type * as z from 'zod'
import { Contact, type ContactFilter, type ContactInput } from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { conflict } from '../../core/errors.js'
import { type StoredRecord } from '../../db/collection.js'
import { commit, type Write } from '../../db/commit.js'
import { counterDeltas, counterWrite } from '../../db/counters.js'
import { entryDiff } from '../../db/entries.js'
import { ContactEntity } from '../../db/entities/lifecycle.js'
import { TAG } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import { getRecord, newRecord, putWrite } from '../../db/records.js'
import { fieldChanges } from '../activity/activity.js'
import { retryOnConflict } from '../../db/retry.js'
import { versionConflict, withCustom } from '../../db/records.js'
import { allow, canWork } from '../scope/scope.js'
import { searchEntries } from '../search/entries.js'
import { childrenPartition, type CustomerRecord, Customers, customerWrites } from '../customers/record.js'
import { phoneView } from '../customers/phones.js'
import {
  childActivity,
  creatorPartition,
  customerOf,
  defineChild,
  editChild,
  tabCounter,
} from '../customers/children.js'

const CONTACT_FIELDS = ['name', 'gender', 'title', 'mobile', 'officePhone', 'email', 'isPrimary'] as const

/** 联系人: a customer's people; one of them its primary contact (the customer's `primaryContactId`). */
export type ContactRecord = StoredRecord & z.output<typeof Contact> & { deptId?: string }

export const Contacts = defineChild<ContactRecord>({
  name: 'contact',
  noun: '联系人',
  phones: true,
  // the customer's primary contact leaves it pointing at none
  removalWrites: async (session, contact, customer) =>
    customer.primaryContactId === contact.id ? primaryWrites(session, customer, undefined) : [],
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
            custom: c.custom as Record<string, unknown> | undefined,
            name: c.name,
            phones: [c.mobile, c.officePhone],
            customerId: c.customerId,
            createdBy: c.createdBy,
          })
    return [
      ...counterDeltas(tabCounter(TAG.contact), before, after).map((c) => counterWrite(after.tenantId, c)),
      ...entryDiff(entries(before), entries(after)),
    ]
  },
})

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
    // clearing the pointer (contactId undefined) is the previous primary's own write (its edit, its
    // removal), which puts that contact itself: a second write of it would fail the transaction
    if (previous && contactId !== undefined && previous.id !== contactId) {
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

export function contactWrites(session: Session, contact: ContactRecord, customer: CustomerRecord) {
  return [
    putWrite(Contacts, contact, { attr: 'id', exists: false }, () =>
      conflict('contact.duplicate', 'id 冲突'),
    ),
    ...Contacts.sideWrites!(undefined, contact),
    ...childActivity(session, Contacts, contact, customer, {
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
  return editChild(Contacts, session, id, {
    version,
    forbidden: '无权修改该联系人',
    change: async (current, customer) => {
      const next = {
        ...current,
        ...changes,
        ...withCustom(current, changes),
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
          ...childActivity(session, Contacts, next, customer, {
            action: 'contact_updated',
            summary: `修改了联系人「${next.name}」`,
            changes: fieldChanges(current, next, [...CONTACT_FIELDS]),
          }),
        ],
        next,
      )
      return next
    },
  })
}

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
