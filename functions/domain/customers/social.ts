import type { Session } from '../../core/context.js'
import { TAG } from '../../db/entities/record.js'
import type { Target } from '../activity/activity.js'
import { Contacts } from '../contacts/record.js'
import { FollowUps } from '../followups/record.js'
import { getChild } from './children.js'
import { getCustomer } from './record.js'

/**
 * What 评论 and 赞 point at in the customer family: the record, read through its scope (404 outside),
 * shown on its customer's timeline (a contact's or follow-up's comment is part of the customer's 动态).
 */
export async function customerTarget(session: Session, customerId: string): Promise<Target> {
  const customer = await getCustomer(session, customerId)
  return {
    tag: TAG.customer,
    recordType: 'customers',
    recordId: customer.id,
    label: customer.name,
    timeline: { tag: TAG.customer, id: customer.id },
  }
}

export async function contactTarget(session: Session, contactId: string): Promise<Target> {
  const contact = await getChild(Contacts, session, contactId)
  return {
    ...(await customerTarget(session, contact.customerId)),
    tag: TAG.contact,
    recordType: 'contacts',
    recordId: contact.id,
    label: contact.name,
  }
}

export async function followUpTarget(session: Session, followUpId: string): Promise<Target> {
  const followUp = await getChild(FollowUps, session, followUpId)
  return {
    ...(await customerTarget(session, followUp.customerId)),
    tag: TAG.followUp,
    recordType: 'followups',
    recordId: followUp.id,
    label: FollowUps.label(followUp),
  }
}
