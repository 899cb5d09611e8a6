import type * as z from 'zod'
import { FollowUp, type FollowUpFilter, type FollowUpInput } from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { conflict } from '../../core/errors.js'
import { type StoredRecord } from '../../db/collection.js'
import { commit, type Write } from '../../db/commit.js'
import { counterDeltas, counterWrite } from '../../db/counters.js'
import { FollowUpEntity } from '../../db/entities/lifecycle.js'
import { TAG } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import { newRecord, putWrite } from '../../db/records.js'
import { retryOnConflict } from '../../db/retry.js'
import { fieldChanges } from '../activity/activity.js'
import { versionConflict, withCustom } from '../../db/records.js'
import { allow, canWork } from '../scope/scope.js'
import { followUpContributions, statWrites } from '../stats/contributions.js'
import { childrenPartition, customerWrites } from '../customers/record.js'
import { keptReminder, type KeptReminder, keptReminderWrites } from '../reminders/record.js'
import {
  childActivity,
  creatorPartition,
  customerOf,
  defineChild,
  editChild,
  tabCounter,
} from '../customers/children.js'

/** 跟进: what was done with a customer, when; the latest moves the customer's `lastFollowUpAt`. */
export type FollowUpRecord = StoredRecord & z.output<typeof FollowUp> & { deptId?: string }

/**
 * 下次跟进时间: a follow-up that names one keeps a reminder for its author (id `<followUpId>-next`, on its
 * customer), written in the follow-up's own transaction — created with it, moved when the time moves,
 * cancelled when the time is cleared or the follow-up deleted.
 */
export const nextReminderId = (followUpId: string) => `${followUpId}-next`

const nextReminder = (f: FollowUpRecord, customer: { id: string; name: string }): KeptReminder | undefined =>
  f.nextFollowUpAt && !f.deletedAt
    ? {
        id: nextReminderId(f.id),
        recordType: 'customer',
        recordId: customer.id,
        recordName: customer.name,
        title: `下次跟进：${customer.name}`.slice(0, 50),
        content: f.content.slice(0, 1000),
        assigneeIds: [f.createdBy],
        dueAt: f.nextFollowUpAt,
      }
    : undefined

/** The writes that keep a follow-up's reminder right after a change (one read of the reminder). */
async function nextReminderWrites(
  session: Session,
  before: FollowUpRecord,
  after: FollowUpRecord,
  customer: { id: string; name: string },
) {
  if (!before.nextFollowUpAt && !after.nextFollowUpAt) return []
  const current = await keptReminder(session.tenantId, nextReminderId(after.id))
  return keptReminderWrites(session, current, nextReminder(after, customer))
}

const FOLLOW_UP_FIELDS = [
  'method',
  'content',
  'followedAt',
  'contactId',
  'opportunityId',
  'nextFollowUpAt',
] as const

export const FollowUps = defineChild<FollowUpRecord>({
  name: 'followup',
  noun: '跟进记录',
  phones: false,
  // a deleted follow-up asks for no next one: its reminder is cancelled
  removalWrites: async (session, f, customer) =>
    nextReminderWrites(session, f, { ...f, deletedAt: 'now' }, customer),
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

const toUtc = (at: string | undefined) => (at ? new Date(at).toISOString() : undefined)

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
      ...childActivity(session, FollowUps, followUp, customer, {
        action: 'followed_up',
        summary: `跟进了客户「${customer.name}」：${input.content.slice(0, 60)}`,
      }),
      ...keptReminderWrites(session, undefined, nextReminder(followUp, customer)),
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
  return editChild(FollowUps, session, id, {
    version,
    forbidden: '无权修改该跟进记录',
    change: async (current, customer) => {
      const next: FollowUpRecord = {
        ...current,
        ...changes,
        ...withCustom(current, changes),
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
          ...(await nextReminderWrites(session, current, next, customer)),
          ...childActivity(session, FollowUps, next, customer, {
            action: 'updated',
            summary: `修改了跟进记录「${FollowUps.label(next)}」`,
            changes: fieldChanges(current, next, [...FOLLOW_UP_FIELDS]),
          }),
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
    },
  })
}

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
