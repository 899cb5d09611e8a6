import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { type ReminderRecordType } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { notFound, unprocessable } from '../../core/errors.js'
import { type Collection, type StoredRecord } from '../../db/collection.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { TAG } from '../../db/entities/record.js'
import { Contacts } from '../contacts/record.js'
import { FollowUps } from '../followups/record.js'
import { Contracts } from '../contracts/record.js'
import { Customers } from '../customers/record.js'
import { type DirectoryDept, listDirectory, sessionOf } from '../directory/sessions.js'
import { type LeadRecord, Leads, seesLead } from '../leads/record.js'
import { Opportunities } from '../opportunities/record.js'
import { canSee, type Scoped } from '../scope/scope.js'

import type { ReminderRecord } from './record.js'
import { RECORD_LABELS } from './record.js'

// Who may be reminded: people who can see the record, checked when set and again when the card goes out.

/** A reminder's record as the scope rules see it: its name, its owner, who can see it (scope.ts). */
export interface RecordAccess {
  name: string
  ownerId?: string
  canSee(session: Session): boolean
}

async function readLive(collection: Collection, tenantId: string, id: string) {
  const { Item } = await collection.entity
    .build(GetItemCommand)
    .key({ tenantId, id })
    .options({ consistent: true })
    .send()
  const record = Item as StoredRecord | undefined
  return record && !record.deletedAt ? record : undefined
}

// read when asked, not at load: follow-ups keep reminders (an import cycle through this module)
const children = (): Record<'contact' | 'followup' | 'opportunity' | 'contract', Collection> => ({
  contact: Contacts as unknown as Collection,
  followup: FollowUps as unknown as Collection,
  opportunity: Opportunities as unknown as Collection,
  contract: Contracts as unknown as Collection,
})

/**
 * The record (live) and who can see it, as its own routes decide: a customer by its scope; a lead by
 * its assignee's scope and its creator; a contact or follow-up through its customer and its creator;
 * an opportunity or contract through its customer and its own owner. Undefined when gone.
 */
export async function recordAccess(
  tenantId: string,
  recordType: ReminderRecordType,
  recordId: string,
): Promise<RecordAccess | undefined> {
  if (recordType === 'customer') {
    const customer = await readLive(Customers as unknown as Collection, tenantId, recordId)
    if (!customer) return undefined
    return {
      name: String(customer.name),
      ownerId: customer.ownerId as string | undefined,
      canSee: (s) => canSee(s, customer as Scoped),
    }
  }
  if (recordType === 'lead') {
    const lead = await readLive(Leads as unknown as Collection, tenantId, recordId)
    if (!lead) return undefined
    return {
      name: String(lead.title),
      ownerId: lead.assigneeId as string | undefined,
      canSee: (s) => seesLead(s, lead as unknown as LeadRecord),
    }
  }
  const collection = children()[recordType]
  const record = await readLive(collection, tenantId, recordId)
  if (!record) return undefined
  const customer = await readLive(Customers as unknown as Collection, tenantId, String(record.customerId))
  const dealRecord = recordType === 'opportunity' || recordType === 'contract'
  return {
    name: collection.label(record),
    ownerId: (dealRecord ? record.ownerId : customer?.ownerId) as string | undefined,
    canSee: (s) =>
      (dealRecord ? canSee(s, record as Scoped) : record.createdBy === s.userId) ||
      (!!customer && canSee(s, customer as Scoped)),
  }
}

interface Person {
  name: string
  session: Session
}

/**
 * The people of a tenant as the scope rules see them, as their login would make them: a manager's
 * scope is the departments they lead with their sub-departments. Read when first asked, then kept (a
 * scheduler run keeps one per tenant). Undefined: unknown in the directory, or no longer active.
 */
export function directoryOf(tenantId: string): (userId: string) => Promise<Person | undefined> {
  const people = new Map<string, Promise<Person | undefined>>()
  let depts: Promise<DirectoryDept[]> | undefined
  const read = async (userId: string): Promise<Person | undefined> => {
    const { Item: user } = await UserEntity.build(GetItemCommand).key({ tenantId, id: userId }).send()
    if (!user?.active) return undefined
    const leads = user.role === 'manager' && user.leaderDeptIds.length > 0
    const known = leads ? await (depts ??= listDirectory<DirectoryDept>(DeptEntity, TAG.dept, tenantId)) : []
    return { name: user.name, session: sessionOf(tenantId, user, known) }
  }
  return (userId) => {
    let found = people.get(userId)
    if (!found) people.set(userId, (found = read(userId)))
    return found
  }
}

/**
 * A reminder is for people who can see its record: the caller must see it (404 otherwise), and each
 * assignee must be an active person who sees it (422 naming them). Answers the record's name.
 */
export async function checkAudience(
  session: Session,
  r: Pick<ReminderRecord, 'recordType' | 'recordId' | 'assigneeIds'>,
): Promise<string> {
  const type = r.recordType as ReminderRecordType
  const access = await recordAccess(session.tenantId, type, r.recordId)
  if (!access?.canSee(session)) throw notFound(type, `${RECORD_LABELS[type]}不存在`)
  const person = directoryOf(session.tenantId)
  for (const userId of new Set(r.assigneeIds)) {
    const found = await person(userId)
    if (!found) {
      throw unprocessable('reminder.assignee_invalid', `提醒对象 ${userId} 不存在或已离职`, { userId })
    }
    if (!access.canSee(found.session)) {
      throw unprocessable(
        'reminder.assignee_cannot_see',
        `${found.name}看不到该${RECORD_LABELS[type]}，不能作为提醒对象`,
        { userId },
      )
    }
  }
  return access.name
}
