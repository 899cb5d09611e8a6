import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type * as z from 'zod'
import {
  type Page,
  Reminder,
  type ReminderFilter,
  type ReminderInput,
  type ReminderRecordType,
  type ReminderUpdate,
} from '../../../shared/schemas/index.js'
import { now } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { AppError, isAppError, notFound, unprocessable } from '../../core/errors.js'
import { log } from '../../core/log.js'
import { type Collection, defineCollection, type StoredRecord } from '../../db/collection.js'
import { commit } from '../../db/commit.js'
import { decodeCursor } from '../../db/cursor.js'
import { type Entry, entryDiff } from '../../db/entries.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { EntryEntity } from '../../db/entities/lifecycle.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { ReminderEntity } from '../../db/entities/scheduler.js'
import { all } from '../../db/filter.js'
import { readPage } from '../../db/pages.js'
import {
  createRecord,
  getRecord,
  getRecords,
  listRecords,
  putWrite,
  replaceRecord,
} from '../../db/records.js'
import { table } from '../../db/table.js'
import {
  claimedOutboxWrite,
  type DeliveryContext,
  deliverClaimed,
  inPool,
  isolated,
} from '../notifications/delivery.js'
import { Contacts } from '../contacts/record.js'
import { FollowUps } from '../followups/record.js'
import { Contracts } from '../contracts/record.js'
import { Customers } from '../customers/record.js'
import { queryPage } from '../deals/records.js'
import { type DirectoryDept, listDirectory, sessionOf } from '../directory/sessions.js'
import { type LeadRecord, Leads, seesLead } from '../leads/record.js'
import { Opportunities } from '../opportunities/record.js'
import type { OutboxMessage } from '../notifications/outbox.js'
import { canSee, type Scoped } from '../scope/scope.js'
import { DEFAULT_TIMEZONE } from '../directory/tenants.js'

dayjs.extend(utc)
dayjs.extend(timezone)

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

const isOpen = (r: Pick<ReminderRecord, 'status'>) => r.status === 'pending' || r.status === 'sent'

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
  sideWrites: (before, after) => entryDiff(before ? assigneeEntries(before) : [], assigneeEntries(after)),
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

// ---------- who may be reminded: people who can see the record ----------

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

const CHILDREN: Record<'contact' | 'followup' | 'opportunity' | 'contract', Collection> = {
  contact: Contacts as unknown as Collection,
  followup: FollowUps as unknown as Collection,
  opportunity: Opportunities as unknown as Collection,
  contract: Contracts as unknown as Collection,
}

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
  const collection = CHILDREN[recordType]
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
async function checkAudience(
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
export function listReminders(session: Session, query: ReminderFilter) {
  const me = session.userId
  const filter = all(
    session.role !== 'admin' && {
      or: [
        { attr: 'createdBy', eq: me },
        { attr: 'assigneeIds', contains: me },
      ],
    },
    query.mine && { attr: 'assigneeIds', contains: me },
    query.assigneeId && { attr: 'assigneeIds', contains: query.assigneeId },
    query.status && { attr: 'status', eq: query.status },
    query.q && {
      or: [
        { attr: 'title', contains: query.q },
        { attr: 'recordName', contains: query.q },
      ],
    },
  )
  const { limit, cursor } = query
  if (query.recordType && query.recordId) {
    const partition = recordIndex(session.tenantId, query.recordType, query.recordId)
    return queryPage(Reminders, session, { index: 'gsi2', partition, limit, cursor, filter })
  }
  if (query.mine) return listMine(session, query)
  return listRecords(Reminders, session, {
    limit,
    cursor,
    filter: all(filter, query.recordType && { attr: 'recordType', eq: query.recordType }),
  })
}

/** a BatchGetItem reads at most 100 keys */
const MINE_PAGE = 100

/**
 * 我的提醒 by due time, from my assignee entries: with `dueBefore` my open ones due before it, oldest
 * first (gsi3, holds only open ones, so closed ones never crowd a page out); without it all of mine,
 * latest due first (gsi2; `status` filters the entries). Then the reminders themselves, one consistent
 * BatchGetItem, checked again against the filter (an index is a moment behind its record). Two calls a
 * page however many reminders the tenant holds (a `status` that leaves the page short reads on entries
 * first: `readPage`); pages of at most 100.
 */
async function listMine(session: Session, query: ReminderFilter): Promise<Page<ReminderRecord>> {
  const me = session.userId
  const dueBefore = query.dueBefore && utcIso(query.dueBefore)
  const index = dueBefore ? 'gsi3' : 'gsi2'
  const partition = dueBefore ? openIndex(session.tenantId, me) : assigneeIndex(session.tenantId, me)
  const start = decodeCursor(query.cursor, session.tenantId)
  if (start && start[`${index}pk`] !== partition) {
    throw new AppError(400, 'validation.failed', 'cursor 不属于这个列表，请从第一页重新加载')
  }
  const filter = all(
    query.status && { attr: 'status', eq: query.status },
    query.recordType && { attr: 'recordType', eq: query.recordType },
  )
  const params = table
    .build(QueryCommand)
    .entities(EntryEntity)
    // `<dueAt>#<id>` < dueBefore: due strictly before it
    .query({ index, partition, ...(dueBefore && { range: { lt: dueBefore } }) })
    .options({
      limit: Math.min(query.limit, MINE_PAGE),
      reverse: !dueBefore,
      exclusiveStartKey: start,
      ...(filter && { filters: { entries: filter } }),
    })
    .params()
  const { items: entries, nextCursor } = await readPage(params, { limit: Math.min(query.limit, MINE_PAGE) })
  const ids = entries.map((entry) => String(entry[`${index}sk`]).split('#').pop()!)
  const found = await getRecords(Reminders, session.tenantId, ids, { consistent: true })
  const items = ids.flatMap((id) => {
    const r = found.get(id)
    const keep =
      r &&
      !r.deletedAt &&
      r.assigneeIds.includes(me) &&
      (!dueBefore || (isOpen(r) && r.dueAt < dueBefore)) &&
      (!query.status || r.status === query.status) &&
      (!query.assigneeId || r.assigneeIds.includes(query.assigneeId)) &&
      (!query.q || r.title.includes(query.q) || !!r.recordName?.includes(query.q))
    return keep ? [r] : []
  })
  return { items, nextCursor }
}

const SCHEDULE_FIELDS = ['dueAt', 'remindBeforeMinutes', 'repeat', 'repeatUntil'] as const
const AUDIENCE_FIELDS = ['recordType', 'recordId', 'assigneeIds'] as const

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
  if (AUDIENCE_FIELDS.some((f) => f in changes)) next.recordName = await checkAudience(session, next)
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

/**
 * Fires a tenant's due reminders: per reminder one transaction (its next state + the outbox message,
 * already claimed by this run), then the card is sent at once.
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
    try {
      await commit([
        putWrite(Reminders, after, { attr: 'version', eq: reminder.version }, () => new FiredElsewhere()),
        // the assignees' entries follow the new status and due time
        ...Reminders.sideWrites!(reminder, after),
        ...(outbox ? [outbox.write] : []),
      ])
    } catch (error) {
      // a racing run's transaction on the same reminder is a conflict, not a second card
      if (!(error instanceof FiredElsewhere) && !isAppError(error, 'version.conflict')) throw error
      stats.skipped += 1
      return
    }
    if (!outbox) {
      stats.unseen += 1
      log('info', 'reminder.no_recipient', { tenantId: ctx.tenantId, reminderId: reminder.id })
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
