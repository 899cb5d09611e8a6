import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import { type ReminderRecordType } from '../../../shared/schemas/index.js'
import { now } from '../../core/clock.js'
import { AppError, isAppError } from '../../core/errors.js'
import { log } from '../../core/log.js'
import { commit, type Write } from '../../db/commit.js'
import { putWrite } from '../../db/records.js'
import {
  claimedOutboxWrite,
  type DeliveryContext,
  deliverClaimed,
  inPool,
  isolated,
} from '../notifications/delivery.js'
import type { OutboxMessage } from '../notifications/outbox.js'
import { DEFAULT_TIMEZONE } from '../directory/tenants.js'
import type { RecordAccess } from './audience.js'
import { directoryOf, recordAccess } from './audience.js'
import type { ReminderRecord } from './record.js'
import { dueReminders } from './queries.js'
import { RECORD_LABELS, RECORD_PAGES, Reminders, minus, utcIso } from './record.js'

dayjs.extend(utc)
dayjs.extend(timezone)

// Firing: due reminders become outbox messages, in the transaction that moves each to its next occurrence.

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
    `关联${RECORD_LABELS[type] ?? '记录'}：${r.recordName ?? '（未命名）'}`,
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
  /** due, but nobody may see the record any more (deleted...): no card, the occurrence passes */
  unseen: number
}

/**
 * Who gets the card now (the record may have changed hands since the reminder was set): the assignees
 * who still see the record and are still active. When none of them does, the task goes with the record
 * to its current owner (a reassigned customer's follow-up is the new owner's now). A released customer
 * is in the pool, which everyone sees, so its assignees keep their card. A card never shows a record to
 * someone outside its scope; empty when nobody may see it (deleted).
 */
async function recipientsOf(
  reminder: ReminderRecord,
  access: RecordAccess | undefined,
  person: ReturnType<typeof directoryOf>,
): Promise<string[]> {
  if (!access) return []
  const sees = async (userId: string) => {
    const found = await person(userId)
    return !!found && access.canSee(found.session)
  }
  const seeing = await Promise.all(reminder.assigneeIds.map(sees))
  const still = reminder.assigneeIds.filter((_, i) => seeing[i])
  if (still.length > 0) return still
  return access.ownerId && (await sees(access.ownerId)) ? [access.ownerId] : []
}

/** reminders fired together in one transaction (each ~3–6 items; DynamoDB allows 100 a transaction) */
const FIRE_BATCH = 10
const MAX_TRANSACTION_ITEMS = 100

/** a reminder's firing, ready to commit: its writes and, when someone gets a card, the card's message */
interface Firing {
  reminder: ReminderRecord
  writes: Write[]
  outbox?: { write: Write; item: Parameters<typeof deliverClaimed>[0] }
}

/**
 * Fires a tenant's due reminders: each one's next state and its outbox message (already claimed by this
 * run) are committed — up to 10 reminders in one transaction, as a transaction costs about the same
 * for 3 items as for 30 — then the cards are sent at once. A batch that fails (a reminder fired by an
 * overlapping run or edited meanwhile) wrote nothing: its reminders are committed one by one, and the
 * changed one is skipped.
 */
export async function fireDueReminders(
  ctx: DeliveryContext,
  { zone = DEFAULT_TIMEZONE, deadline = Number.POSITIVE_INFINITY, concurrency = 8 } = {},
): Promise<FireStats> {
  const stats: FireStats = { fired: 0, skipped: 0, unseen: 0 }
  // reminders of one run share the reads of their records and people
  const person = directoryOf(ctx.tenantId)
  const records = new Map<string, Promise<RecordAccess | undefined>>()
  const accessOf = ({ recordType, recordId }: ReminderRecord) => {
    const key = `${recordType}#${recordId}`
    let found = records.get(key)
    if (!found) {
      records.set(key, (found = recordAccess(ctx.tenantId, recordType as ReminderRecordType, recordId)))
    }
    return found
  }
  let cursor: Record<string, unknown> | undefined
  do {
    const { items, next } = await dueReminders(ctx.tenantId, now(), cursor)
    const firings: Firing[] = []
    await inPool(items, concurrency, async (reminder) => {
      if (now() > deadline) return
      await isolated(ctx.tenantId, reminder.id, async () => {
        firings.push(await prepare(reminder))
      })
    })
    // two batches at a time: one commits while the other's cards go out
    await inPool(batches(firings), 2, async (batch) => {
      if (now() > deadline) return
      const fired = await commitBatch(batch)
      await inPool(fired, concurrency, (firing) =>
        isolated(ctx.tenantId, firing.reminder.id, () => finish(firing)),
      )
    })
    cursor = next
  } while (cursor && now() <= deadline)
  return stats

  async function prepare(reminder: ReminderRecord): Promise<Firing> {
    const access = await accessOf(reminder)
    const recipients = await recipientsOf(reminder, access, person)
    const firedAt = utcIso(now())
    const next = nextOccurrence(reminder, now(), zone)
    const moved = { ...(next ?? { fireAt: undefined }), updatedAt: firedAt, version: reminder.version + 1 }
    const recordName = access?.name ?? reminder.recordName
    // nobody may see the record: the occurrence passes without a card; a one-off ends as cancelled
    const after: ReminderRecord =
      recipients.length > 0
        ? {
            ...reminder,
            recordName,
            status: 'sent',
            lastSentAt: firedAt,
            sentCount: reminder.sentCount + 1,
            ...moved,
          }
        : { ...reminder, ...(next ? {} : { status: 'cancelled' as const }), ...moved }
    const outbox =
      recipients.length > 0
        ? claimedOutboxWrite(
            ctx.tenantId,
            reminderMessage({ ...reminder, recordName, assigneeIds: recipients }, zone),
          )
        : undefined
    const writes = [
      putWrite(Reminders, after, { attr: 'version', eq: reminder.version }, () => new FiredElsewhere()),
      // the assignees' entries follow the new status and due time
      ...Reminders.sideWrites!(reminder, after),
      ...(outbox ? [outbox.write] : []),
    ]
    return { reminder, writes, outbox }
  }

  /** the firings of a batch that committed: all of them, or those that did one by one */
  async function commitBatch(batch: Firing[]): Promise<Firing[]> {
    if (batch.length > 1) {
      try {
        await commit(batch.flatMap((firing) => firing.writes))
        return batch
      } catch {
        // nothing was written: each on its own below, where a changed reminder is told apart
      }
    }
    const fired: Firing[] = []
    for (const firing of batch) {
      await isolated(ctx.tenantId, firing.reminder.id, async () => {
        if (await commitOne(firing)) fired.push(firing)
      })
    }
    return fired
  }

  async function commitOne(firing: Firing): Promise<boolean> {
    try {
      await commit(firing.writes)
      return true
    } catch (error) {
      // a racing run's transaction on the same reminder is a conflict, not a second card
      if (!(error instanceof FiredElsewhere) && !isAppError(error, 'version.conflict')) throw error
      stats.skipped += 1
      return false
    }
  }

  async function finish({ reminder, outbox }: Firing) {
    if (!outbox) {
      stats.unseen += 1
      log('info', 'reminder.no_recipient', { tenantId: ctx.tenantId, reminderId: reminder.id })
      return
    }
    stats.fired += 1
    await deliverClaimed(outbox.item, ctx)
  }
}

/** firings in batches of at most FIRE_BATCH reminders and 100 items, in the order they came */
function batches(firings: Firing[]): Firing[][] {
  const out: Firing[][] = []
  let current: Firing[] = []
  let size = 0
  for (const firing of firings) {
    if (current.length >= FIRE_BATCH || size + firing.writes.length > MAX_TRANSACTION_ITEMS) {
      if (current.length > 0) out.push(current)
      current = []
      size = 0
    }
    current.push(firing)
    size += firing.writes.length
  }
  if (current.length > 0) out.push(current)
  return out
}

/** the reminder changed since it was read: another run fired it, or a user edited it */
class FiredElsewhere extends AppError {
  constructor() {
    super(409, 'reminder.changed', '提醒已变化')
  }
}
