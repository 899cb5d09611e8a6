import type { Session } from '../../core/context.js'
import { TAG } from '../../db/entities/record.js'
import { audienceOf, type Target } from '../activity/activity.js'
import { Contacts } from '../contacts/record.js'
import { FollowUps } from '../followups/record.js'
import { notFound } from '../../core/errors.js'
import { getRecord } from '../../db/records.js'
import { readCustomer } from '../deals/records.js'
import { canSee } from '../scope/scope.js'
import type { ChildCollection, ChildRecord } from './children.js'
import { type CustomerRecord, getCustomer } from './record.js'

/**
 * What 动态, 评论 and 赞 point at in the customer family: the record, read through its scope (404
 * outside); a contact's or follow-up's comment is on its own timeline and its customer's (part of the
 * customer's 动态).
 */
const ofCustomer = (customer: CustomerRecord): Target => ({
  tag: TAG.customer,
  recordType: 'customers',
  recordId: customer.id,
  label: customer.name,
  timeline: { tag: TAG.customer, id: customer.id },
  audience: audienceOf(customer),
  canSee: async (s) => canSee(s, customer),
})

export async function customerTarget(session: Session, customerId: string): Promise<Target> {
  return ofCustomer(await getCustomer(session, customerId))
}

/** A contact or follow-up: its creator sees it, and whoever sees its customer (2 reads, as `getChild`). */
async function childTarget<R extends ChildRecord>(
  session: Session,
  collection: ChildCollection<R>,
  id: string,
): Promise<Target> {
  const child = await getRecord(collection, session, id)
  const customer = await readCustomer(session, child.customerId)
  const sees = (s: Session) => child.createdBy === s.userId || (!!customer && canSee(s, customer))
  if (!sees(session)) throw notFound(collection.name)
  return {
    tag: collection.tag,
    recordType: collection.path,
    recordId: child.id,
    label: collection.label(child),
    timeline: { tag: collection.tag, id: child.id },
    alsoOn: [{ tag: TAG.customer, id: child.customerId }],
    audience: audienceOf(customer, { ownerId: child.createdBy, deptId: child.deptId }),
    canSee: async (s) => sees(s),
  }
}

export const contactTarget = (session: Session, contactId: string) =>
  childTarget(session, Contacts, contactId)

export const followUpTarget = (session: Session, followUpId: string) =>
  childTarget(session, FollowUps, followUpId)
