import * as z from 'zod'
import { Id, ListQuery, QueryBoolean, RecordMeta, Timestamp } from './common.js'

/** Records a reminder (and an outbox message) can point at; each has a detail page in the apps. */
export const ReminderRecordType = z.enum([
  'lead',
  'customer',
  'contact',
  'followup',
  'opportunity',
  'contract',
])
export type ReminderRecordType = z.infer<typeof ReminderRecordType>

export const ReminderRepeat = z.enum(['none', 'daily', 'weekly', 'monthly'])
export const ReminderStatus = z.enum(['pending', 'sent', 'done', 'cancelled'])
export type ReminderStatus = z.infer<typeof ReminderStatus>

/** 任务提醒: what a user fills in. */
export const ReminderInput = z.strictObject({
  recordType: ReminderRecordType,
  recordId: Id,
  /** the record's name as the card shows it (客户名称, 线索标题...) */
  recordName: z.string().trim().max(100).optional(),
  title: z.string().trim().min(1, '请填写提醒标题').max(50),
  content: z.string().max(1000).optional(),
  assigneeIds: z.array(Id).min(1, '请选择提醒对象').max(20),
  dueAt: Timestamp,
  /** 0 = at the due time */
  remindBeforeMinutes: z
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(0),
  repeat: ReminderRepeat.default('none'),
  /** a repeating reminder stops after this time */
  repeatUntil: Timestamp.optional(),
})
export type ReminderInput = z.infer<typeof ReminderInput>

/** PATCH may also close a reminder (done, cancelled) or reopen it (pending). */
export const ReminderUpdate = ReminderInput.extend({
  status: z.enum(['pending', 'done', 'cancelled']).optional(),
})

export const Reminder = RecordMeta.extend(ReminderInput.shape).extend({
  status: ReminderStatus,
  /** when the next card goes out; absent when nothing is scheduled (done, cancelled, series over) */
  fireAt: Timestamp.optional(),
  lastSentAt: Timestamp.optional(),
  sentCount: z.int().min(0),
})
export type Reminder = z.infer<typeof Reminder>

export const ReminderFilter = ListQuery.extend({
  /** 我的提醒: reminders the caller is to receive (by due time: see functions/db/README.md) */
  mine: QueryBoolean.optional(),
  /** with `mine`: my open (pending/sent) reminders due before this time, oldest first (工作台) */
  dueBefore: Timestamp.optional(),
  assigneeId: Id.optional(),
  status: ReminderStatus.optional(),
  recordType: ReminderRecordType.optional(),
  recordId: Id.optional(),
  /** part of the title or of the record's name */
  q: z.string().trim().min(1).max(50).optional(),
})
  // a record's reminders are a partition of their own (type + id): an id alone names none
  .refine((f) => !f.recordId || f.recordType, {
    path: ['recordType'],
    message: '按记录查询提醒时请同时传 recordType（记录类型）',
  })
  .refine((f) => !f.dueBefore || f.mine, {
    path: ['mine'],
    message: '按到期时间查询只用于我的提醒，请同时传 mine=true',
  })
export type ReminderFilter = z.infer<typeof ReminderFilter>

/** A DingTalk message waiting in (or parked by) the outbox, as admins see it. */
export const OutboxMessage = z.object({
  id: Id,
  kind: z.string(),
  userIds: z.array(z.string()),
  deptIds: z.array(z.string()).optional(),
  title: z.string(),
  recordType: z.string().optional(),
  recordId: z.string().optional(),
  /** a to-do's sync message (`todo.*`): the to-do's own id */
  todoSourceId: z.string().optional(),
  status: z.enum(['pending', 'sending', 'sent', 'failed']),
  attempts: z.int().min(0),
  availableAt: Timestamp,
  lastError: z.string().optional(),
  failedAt: Timestamp.optional(),
  deliveredAt: Timestamp.optional(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  version: z.int().min(1),
})
export type OutboxMessage = z.infer<typeof OutboxMessage>
export const OutboxFilter = ListQuery.extend({ status: z.enum(['failed', 'pending']).default('failed') })

/** 通知设置: a department's team group (robot code + chat id) gets that department's cards. */
export const TeamGroup = z.strictObject({
  deptId: Id,
  robotCode: z.string().trim().min(1).max(100),
  openConversationId: z.string().trim().min(1).max(200),
})
export type TeamGroup = z.infer<typeof TeamGroup>

/** The events whose cards an admin may send to a department's group (审批结果: by the submitter's department). */
export const NotificationEvent = z.enum([
  'lead.assigned',
  'reminder.due',
  'customer.recycle_warning',
  'customer.recycled',
  'report.briefing',
  'approval.result',
])
export type NotificationEvent = z.infer<typeof NotificationEvent>
/** to the person, to the department's group chat, or both */
export const NotificationDelivery = z.enum(['person', 'group', 'both'])
export type NotificationDelivery = z.infer<typeof NotificationDelivery>

/**
 * A department's choice per event. A department without one for an event takes its parent's, then
 * `person`; a card meant for the group goes to the department's group, else its parent's (and up),
 * else to the person.
 */
export const DeptRouting = z.strictObject({
  deptId: Id,
  events: z.partialRecord(NotificationEvent, NotificationDelivery),
})
export type DeptRouting = z.infer<typeof DeptRouting>

const uniqueDepts = (items: { deptId: string }[]) => new Set(items.map((g) => g.deptId)).size === items.length

export const NotificationSettingsInput = z.strictObject({
  groups: z.array(TeamGroup).max(200).refine(uniqueDepts, '每个部门只能设置一个群'),
  /** absent: the routing stays as it is */
  routing: z.array(DeptRouting).max(500).refine(uniqueDepts, '每个部门只能设置一次').optional(),
})
// an answer, so not strict: built from the input's shape rather than extending the strict input
export const NotificationSettings = z.object({
  ...NotificationSettingsInput.shape,
  routing: z.array(DeptRouting),
  updatedAt: Timestamp.optional(),
  version: z.int().min(0),
})
/** `POST /api/settings/notifications/test`: one card to a group, now (a saved group by department, or one being set up) */
export const NotificationTestInput = z.strictObject({
  deptId: Id,
  robotCode: z.string().trim().min(1).max(100).optional(),
  openConversationId: z.string().trim().min(1).max(200).optional(),
})
export const NotificationTestResult = z.object({
  deptId: Id,
  openConversationId: z.string(),
  title: z.string(),
  processQueryKey: z.string(),
})
export type NotificationSettings = z.infer<typeof NotificationSettings>
