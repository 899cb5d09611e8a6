import type * as z from 'zod'
import {
  Reminder,
  type ReminderInput,
  ReminderRecordType,
  type ReminderUpdate,
} from '../../../shared/schemas/index.js'
import { thingLabel } from '../../../shared/nouns.js'
import type { Session } from '../../core/context.js'
import { unprocessable } from '../../core/errors.js'
import { defineCollection, type StoredRecord } from '../../db/collection.js'
import { type Entry, entryDiff } from '../../db/entries.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { ReminderEntity } from '../../db/entities/scheduler.js'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import type { Write } from '../../db/commit.js'
import {
  changed,
  createRecord,
  editRecord,
  getRecord,
  newRecord,
  putWrite,
  removeRecord,
  replaceRecord,
  versionConflict,
} from '../../db/records.js'

import { checkAudience } from './audience.js'
import { reminderTodoWrites } from './todos.js'

/**
 * 任务提醒: a card to the assignees at the due time (or N minutes before), once or repeating. A reminder
 * with a card to come sits in gsi3 `T#t#REM#DUE` → `<fireAt>#<id>`; firing it writes the outbox message
 * and the reminder's next state in one transaction guarded by its version, so two runs never fire the
 * same occurrence twice. Each reminder is also listed under its record (gsi2 `T#t#REM#R#<type>#<id>`),
 * so a merge finds a customer's reminders without a scan. Each assignee has an entry under the reminder
 * (`assigneeEntries`) listing it in their reminders by due time. Assignees are people who can see the
 * record, checked when set and again when the card goes out (`recipientsOf`).
 */

export type ReminderRecord = StoredRecord &
  Omit<z.output<typeof Reminder>, 'fireAt'> & { fireAt?: string; anchorAt: string }

export const dueIndex = (tenantId: string) => tenantKey(tenantId, TAG.reminder, 'DUE')
/** the reminders of one record (gsi2): a merge moves a customer's reminders to the surviving one */
export const recordIndex = (tenantId: string, recordType: string, recordId: string) =>
  tenantKey(tenantId, TAG.reminder, 'R', recordType, recordId)
/** an assignee's reminders by due time, whatever their status (gsi2 of the assignee entries) */
export const assigneeIndex = (tenantId: string, userId: string) =>
  tenantKey(tenantId, TAG.reminder, 'U', userId)
/** an assignee's open (pending/sent) reminders by due time (gsi3, sparse): 工作台's due and overdue ones */
export const openIndex = (tenantId: string, userId: string) =>
  tenantKey(tenantId, TAG.reminder, 'U', userId, 'OPEN')

export const isOpen = (r: Pick<ReminderRecord, 'status'>) => r.status === 'pending' || r.status === 'sent'

/**
 * One entry per assignee under the reminder's own key (`#ASSIGNEE#<userId>`): gsi2 lists it among the
 * assignee's reminders and, while it is open, gsi3 among their open ones, both under `<dueAt>#<id>`.
 * Entries rather than keys of the record, because a reminder has up to 20 assignees; written by the
 * collection's `sideWrites`, so a new due time (also a repeat's next one), other assignees, a status
 * change, delete / restore and a merge move them in the reminder's own transaction.
 */
const assigneeEntries = (r: ReminderRecord): Entry[] =>
  r.deletedAt
    ? []
    : [...new Set(r.assigneeIds)].map((userId) => ({
        pk: tenantKey(r.tenantId, TAG.reminder, r.id),
        sk: `#ASSIGNEE#${userId}`,
        tenantId: r.tenantId,
        kind: 'assignee',
        recordType: r.recordType,
        recordId: r.recordId,
        status: r.status,
        at: r.dueAt,
        gsi2pk: assigneeIndex(r.tenantId, userId),
        gsi2sk: `${r.dueAt}#${r.id}`,
        ...(isOpen(r) && { gsi3pk: openIndex(r.tenantId, userId), gsi3sk: `${r.dueAt}#${r.id}` }),
      }))

export const Reminders = defineCollection<ReminderRecord>({
  name: 'reminder',
  path: 'reminders',
  tag: TAG.reminder,
  entity: ReminderEntity,
  schema: Reminder,
  label: (r) => r.title,
  indexKeys: (r) => ({
    gsi2pk: recordIndex(r.tenantId, r.recordType, r.recordId),
    gsi2sk: r.id,
    ...(r.fireAt &&
      (r.status === 'pending' || r.status === 'sent') && {
        gsi3pk: dueIndex(r.tenantId),
        gsi3sk: `${r.fireAt}#${r.id}`,
      }),
  }),
  // the creator, the assignees, and admins; for anyone else a reminder does not exist (404)
  visible: (session, r) =>
    session.role === 'admin' || r.createdBy === session.userId || r.assigneeIds.includes(session.userId),
  // the assignees' entries, and the DingTalk to-do (todos.ts)
  sideWrites: (before, after) => [
    ...entryDiff(before ? assigneeEntries(before) : [], assigneeEntries(after)),
    ...reminderTodoWrites(before, after),
  ],
})

/** the record types a reminder may be about, by their `one` name (shared/nouns.ts) */
const recordTypes = ReminderRecordType.options

/** the mini-program page of each record type; the card's button opens it */
export const RECORD_PAGES: Record<ReminderRecordType, string> = {
  lead: 'pages/lead/detail',
  customer: 'pages/customer/detail',
  contact: 'pages/contact/detail',
  followup: 'pages/followup/detail',
  opportunity: 'pages/opportunity/detail',
  contract: 'pages/contract/detail',
}
/** what users call each record type (客户, 跟进记录) */
export const RECORD_LABELS = Object.fromEntries(
  recordTypes.map((type) => [type, thingLabel(type)]),
) as Record<ReminderRecordType, string>

export const utcIso = (value: string | number) => new Date(value).toISOString()
export const minus = (iso: string, minutes: number) => utcIso(Date.parse(iso) - minutes * 60_000)

/** the schedule of a (re)opened reminder: its first card at `dueAt − remindBeforeMinutes` */
function schedule<T extends { dueAt: string; remindBeforeMinutes: number; repeatUntil?: string }>(r: T) {
  const dueAt = utcIso(r.dueAt)
  const repeatUntil = r.repeatUntil && utcIso(r.repeatUntil)
  if (repeatUntil && repeatUntil < dueAt) {
    throw unprocessable('reminder.invalid_repeat_until', '重复截止时间不能早于提醒时间')
  }
  return {
    ...r,
    dueAt,
    repeatUntil,
    status: 'pending' as const,
    anchorAt: dueAt,
    fireAt: minus(dueAt, r.remindBeforeMinutes),
  }
}

export async function createReminder(session: Session, input: ReminderInput): Promise<ReminderRecord> {
  const recordName = await checkAudience(session, input)
  return createRecord(Reminders, session, { ...schedule(input), recordName, sentCount: 0 } as Omit<
    ReminderRecord,
    keyof StoredRecord
  >)
}

/**
 * A page of reminders the caller may see (admins all; others those they created or receive). A record's
 * reminders (`recordType` + `recordId`, the schema refuses an id alone) are one Query on the record's
 * own partition (gsi2); mine (`mine`) one Query on my assignee entries and one BatchGetItem of the
 * reminders (`listMine`): either costs the same however many reminders the rest of the tenant holds.
 * Everything else (admins' and creators' views) filters the tenant's list (gsi1).
 */

const SCHEDULE_FIELDS = ['dueAt', 'remindBeforeMinutes', 'repeat', 'repeatUntil'] as const
const AUDIENCE_FIELDS = ['recordType', 'recordId', 'assigneeIds'] as const

/**
 * PATCH: a changed due time (or lead time, repetition) reschedules from the new time; done or cancelled
 * takes the reminder out of the due index, so no further card goes out; `pending` reopens it.
 */
export const updateReminder = (
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof ReminderUpdate>> & { version: number },
): Promise<ReminderRecord> =>
  editRecord(Reminders, session, id, {
    version,
    change: async (current) => {
      let next = changed(current, changes as Partial<ReminderRecord>)
      if (AUDIENCE_FIELDS.some((f) => f in changes)) next.recordName = await checkAudience(session, next)
      const rescheduled = SCHEDULE_FIELDS.some((f) => f in changes && changes[f] !== current[f])
      if (changes.status === 'done' || changes.status === 'cancelled') {
        next = { ...next, status: changes.status, fireAt: undefined }
      } else if (rescheduled || (changes.status === 'pending' && current.status !== 'pending')) {
        next = { ...next, ...schedule(next) }
      }
      return replaceRecord(Reminders, current, next)
    },
  })

/** A reminder the caller may see: its creator, its assignees, an admin (404 for anyone else). */
export const getReminder = (session: Session, id: string) => getRecord(Reminders, session, id)

/** Into the recycle bin, for whoever may change it. */
export const removeReminder = (session: Session, id: string) => removeRecord(Reminders, session, id)

/** A reminder another record keeps (a follow-up's 下次跟进时间): what it is to say, to whom, when. */
export interface KeptReminder {
  id: string
  recordType: ReminderRecordType
  recordId: string
  recordName: string
  title: string
  content?: string
  assigneeIds: string[]
  dueAt: string
}

/** The reminder a record keeps, by its id (undefined when it has none yet). */
export async function keptReminder(tenantId: string, id: string): Promise<ReminderRecord | undefined> {
  const { Item } = await Reminders.entity
    .build(GetItemCommand)
    .key({ tenantId, id })
    .options({ consistent: true })
    .send()
  return Item as ReminderRecord | undefined
}

/**
 * The writes that bring a kept reminder to what its record now asks, for that record's own transaction:
 * created (pending, scheduled), moved to a new time (reopened if it had gone out or was closed),
 * cancelled when the record asks for none (or is deleted); nothing when nothing changes.
 */
export function keptReminderWrites(
  session: Session,
  current: ReminderRecord | undefined,
  wanted: KeptReminder | undefined,
): Write[] {
  const live = current && !current.deletedAt ? current : undefined
  if (!wanted) {
    if (!live || !isOpen(live)) return []
    const next = { ...changed(live, { status: 'cancelled' as const }), fireAt: undefined }
    return [...putKept(live, next)]
  }
  const dueAt = utcIso(wanted.dueAt)
  if (live && isOpen(live) && live.dueAt === dueAt && live.content === wanted.content) return []
  if (!current) {
    const fields = { ...wanted, remindBeforeMinutes: 0, repeat: 'none' as const, sentCount: 0 }
    const record = { ...newRecord(session, schedule(fields)), id: wanted.id } as ReminderRecord
    return putKept(undefined, record)
  }
  const { deletedAt: _d, deletedBy: _b, ...rest } = current
  const moved = changed(rest as ReminderRecord, { ...wanted } as Partial<ReminderRecord>)
  return putKept(current, { ...moved, ...schedule(moved) })
}

const putKept = (current: ReminderRecord | undefined, next: ReminderRecord): Write[] => [
  putWrite(
    Reminders,
    next,
    current ? { attr: 'version', eq: current.version } : { attr: 'id', exists: false },
    versionConflict,
  ),
  ...Reminders.sideWrites!(current, next),
]
