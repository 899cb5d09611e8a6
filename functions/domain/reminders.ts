import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type * as z from 'zod'
import {
  Reminder,
  type ReminderFilter,
  type ReminderInput,
  type ReminderRecordType,
  type ReminderUpdate,
} from '../../shared/schemas/index.js'
import { now } from '../core/clock.js'
import type { Session } from '../core/context.js'
import { AppError, isAppError, unprocessable } from '../core/errors.js'
import { defineCollection, type StoredRecord } from '../db/collection.js'
import { commit } from '../db/commit.js'
import { tenantKey, TAG } from '../db/entities/record.js'
import { ReminderEntity } from '../db/entities/scheduler.js'
import { all } from '../db/filter.js'
import { createRecord, getRecord, listRecords, putWrite, replaceRecord } from '../db/records.js'
import { table } from '../db/table.js'
import { claimedOutboxWrite, type DeliveryContext, deliverClaimed, inPool, isolated } from './delivery.js'
import type { OutboxMessage } from './outbox.js'
import { DEFAULT_TIMEZONE } from './tenants.js'

dayjs.extend(utc)
dayjs.extend(timezone)

/**
 * 任务提醒: a card to the assignees at the due time (or N minutes before), once or repeating. A reminder
 * with a card to come sits in gsi3 `T#t#REM#DUE` → `<fireAt>#<id>`; firing it writes the outbox message
 * and the reminder's next state in one transaction guarded by its version, so two runs never fire the
 * same occurrence twice.
 */

export type ReminderRecord = StoredRecord &
  Omit<z.output<typeof Reminder>, 'fireAt'> & { fireAt?: string; anchorAt: string }

export const dueIndex = (tenantId: string) => tenantKey(tenantId, TAG.reminder, 'DUE')

export const Reminders = defineCollection<ReminderRecord>({
  name: 'reminder',
  path: 'reminders',
  tag: TAG.reminder,
  entity: ReminderEntity,
  schema: Reminder,
  label: (r) => r.title,
  indexKeys: (r) =>
    r.fireAt && (r.status === 'pending' || r.status === 'sent')
      ? { gsi3pk: dueIndex(r.tenantId), gsi3sk: `${r.fireAt}#${r.id}` }
      : {},
  // the creator, the assignees, and admins; for anyone else a reminder does not exist (404)
  visible: (session, r) =>
    session.role === 'admin' || r.createdBy === session.userId || r.assigneeIds.includes(session.userId),
})

/** the mini-program page of each record type; the card's button opens it */
export const RECORD_PAGES: Record<ReminderRecordType, string> = {
  lead: 'pages/lead/detail',
  customer: 'pages/customer/detail',
  contact: 'pages/contact/detail',
  followup: 'pages/followup/detail',
  opportunity: 'pages/opportunity/detail',
  contract: 'pages/contract/detail',
}
const RECORD_LABELS: Record<ReminderRecordType, string> = {
  lead: '线索',
  customer: '客户',
  contact: '联系人',
  followup: '跟进记录',
  opportunity: '商机',
  contract: '合同',
}

const utcIso = (value: string | number) => new Date(value).toISOString()
const minus = (iso: string, minutes: number) => utcIso(Date.parse(iso) - minutes * 60_000)

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

export function createReminder(session: Session, input: ReminderInput): Promise<ReminderRecord> {
  return createRecord(Reminders, session, { ...schedule(input), sentCount: 0 } as Omit<
    ReminderRecord,
    keyof StoredRecord
  >)
}

export function listReminders(session: Session, query: ReminderFilter) {
  const me = session.userId
  return listRecords(Reminders, session, {
    limit: query.limit,
    cursor: query.cursor,
    filter: all(
      session.role !== 'admin' && {
        or: [
          { attr: 'createdBy', eq: me },
          { attr: 'assigneeIds', contains: me },
        ],
      },
      query.mine && { attr: 'assigneeIds', contains: me },
      query.assigneeId && { attr: 'assigneeIds', contains: query.assigneeId },
      query.status && { attr: 'status', eq: query.status },
      query.recordType && { attr: 'recordType', eq: query.recordType },
      query.recordId && { attr: 'recordId', eq: query.recordId },
    ),
  })
}

const SCHEDULE_FIELDS = ['dueAt', 'remindBeforeMinutes', 'repeat', 'repeatUntil'] as const

/**
 * PATCH: a changed due time (or lead time, repetition) reschedules from the new time; done or cancelled
 * takes the reminder out of the due index, so no further card goes out; `pending` reopens it.
 */
export async function updateReminder(
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof ReminderUpdate>> & { version: number },
): Promise<ReminderRecord> {
  const current = await getRecord(Reminders, session, id)
  if (current.version !== version) {
    throw new AppError(409, 'version.conflict', '记录已被他人修改，请刷新后重试（version 不是最新）')
  }
  let next: ReminderRecord = {
    ...current,
    ...changes,
    updatedAt: utcIso(now()),
    version: current.version + 1,
  }
  const rescheduled = SCHEDULE_FIELDS.some((f) => f in changes && changes[f] !== current[f])
  if (changes.status === 'done' || changes.status === 'cancelled') {
    next = { ...next, status: changes.status, fireAt: undefined }
  } else if (rescheduled || (changes.status === 'pending' && current.status !== 'pending')) {
    next = { ...next, ...schedule(next) }
  }
  return replaceRecord(Reminders, current, next)
}

// ---------- firing ----------

const UNIT = { daily: 'day', weekly: 'week', monthly: 'month' } as const

/**
 * The first occurrence whose card is due after `after`, counted from the series' anchor in the tenant's
 * zone (09:00 Shanghai stays 09:00; the 31st becomes the last day of a shorter month). Missed occurrences
 * are skipped, so a catch-up sends one card, not one per missed period. Undefined when the series is over.
 */
export function nextOccurrence(
  r: Pick<ReminderRecord, 'anchorAt' | 'repeat' | 'remindBeforeMinutes' | 'repeatUntil'>,
  after: number,
  zone = DEFAULT_TIMEZONE,
): { dueAt: string; fireAt: string } | undefined {
  if (r.repeat === 'none') return undefined
  const unit = UNIT[r.repeat]
  const anchor = dayjs(r.anchorAt).tz(zone)
  // start near the answer (a series may be years old), then step
  let n = Math.max(1, Math.floor(dayjs(after).tz(zone).diff(anchor, unit)))
  for (;;) {
    const dueAt = utcIso(anchor.add(n, unit).valueOf())
    const fireAt = minus(dueAt, r.remindBeforeMinutes)
    if (Date.parse(fireAt) > after) {
      return r.repeatUntil && dueAt > r.repeatUntil ? undefined : { dueAt, fireAt }
    }
    n += 1
  }
}

export function reminderMessage(r: ReminderRecord, zone = DEFAULT_TIMEZONE): OutboxMessage {
  const type = r.recordType as ReminderRecordType
  const due = dayjs(r.dueAt).tz(zone).format('YYYY-MM-DD HH:mm')
  const lines = [
    `### 任务提醒：${r.title}`,
    r.content,
    `关联${RECORD_LABELS[type] ?? '记录'}：${r.recordName ?? r.recordId}`,
    `截止时间：${due}`,
  ]
  return {
    kind: 'reminder.due',
    userIds: r.assigneeIds,
    title: `任务提醒：${r.title}`,
    markdown: lines.filter(Boolean).join('\n\n'),
    // the reminder's id makes each reminder's card its own content (DingTalk drops a same-day repeat)
    link: { page: RECORD_PAGES[type] ?? 'pages/index/index', query: { id: r.recordId, reminderId: r.id } },
    recordType: r.recordType,
    recordId: r.recordId,
  }
}

export interface FireStats {
  fired: number
  /** fired by an overlapping run first */
  skipped: number
}

/**
 * Fires a tenant's due reminders: per reminder one transaction (its next state + the outbox message,
 * already claimed by this run), then the card is sent at once.
 */
export async function fireDueReminders(
  ctx: DeliveryContext,
  { zone = DEFAULT_TIMEZONE, deadline = Number.POSITIVE_INFINITY, concurrency = 8 } = {},
): Promise<FireStats> {
  const stats: FireStats = { fired: 0, skipped: 0 }
  let cursor: Record<string, unknown> | undefined
  do {
    const at = now()
    const { Items = [], LastEvaluatedKey } = await table
      .build(QueryCommand)
      .entities(ReminderEntity)
      .query({ index: 'gsi3', partition: dueIndex(ctx.tenantId), range: { lte: `${utcIso(at)}#~` } })
      .options({ limit: 100, exclusiveStartKey: cursor })
      .send()
    await inPool(Items as ReminderRecord[], concurrency, async (reminder) => {
      if (now() > deadline) return
      await isolated(ctx.tenantId, reminder.id, () => fireOne(reminder))
    })
    cursor = LastEvaluatedKey
  } while (cursor && now() <= deadline)
  return stats

  async function fireOne(reminder: ReminderRecord) {
    const firedAt = utcIso(now())
    const next = nextOccurrence(reminder, now(), zone)
    const after: ReminderRecord = {
      ...reminder,
      status: 'sent',
      lastSentAt: firedAt,
      sentCount: reminder.sentCount + 1,
      ...(next ?? { fireAt: undefined }),
      updatedAt: firedAt,
      version: reminder.version + 1,
    }
    const outbox = claimedOutboxWrite(ctx.tenantId, reminderMessage(reminder, zone))
    try {
      await commit([
        putWrite(Reminders, after, { attr: 'version', eq: reminder.version }, () => new FiredElsewhere()),
        outbox.write,
      ])
    } catch (error) {
      // a racing run's transaction on the same reminder is a conflict, not a second card
      if (!(error instanceof FiredElsewhere) && !isAppError(error, 'version.conflict')) throw error
      stats.skipped += 1
      return
    }
    stats.fired += 1
    await deliverClaimed(outbox.item, ctx)
  }
}

/** the reminder changed since it was read: another run fired it, or a user edited it */
class FiredElsewhere extends AppError {
  constructor() {
    super(409, 'reminder.changed', '提醒已变化')
  }
}
