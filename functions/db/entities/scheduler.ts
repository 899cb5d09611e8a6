import { Entity } from 'dynamodb-toolbox/entity'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { map } from 'dynamodb-toolbox/schema/map'
import { number } from 'dynamodb-toolbox/schema/number'
import { record } from 'dynamodb-toolbox/schema/record'
import { string } from 'dynamodb-toolbox/schema/string'
import { table } from '../table.js'
import { recordAttributes, recordKey, tenantKey, TAG } from './record.js'

/**
 * The system partition of the tenant registry: the one index key that does not start with a tenant,
 * because its very purpose is to list the tenants (see README.md). Only the scheduler reads it.
 */
export const TENANT_REGISTRY = 'SYS#TENANTS'

/**
 * A tenant, as the scheduler knows it: listed by gsi1 `SYS#TENANTS` → tenantId, with the local time its
 * daily jobs run at and the day they last ran. Written idempotently (update of the registry keys) at
 * login and at directory sync.
 */
export const TenantEntity = new Entity({
  name: 'tenants',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    gsi1pk: string(),
    gsi1sk: string(),
    /** IANA zone of the tenant's business day (default Asia/Shanghai) */
    timezone: string().optional(),
    /** `HH:mm` local time of the daily jobs (default 08:00) */
    dailyAt: string().optional(),
    /** `YYYY-MM-DD` (local) of the last daily run, claimed with a condition so it runs once */
    dailyRunOn: string().optional(),
    /** bumped by every directory write that changes someone's access (role, departments, leaving) */
    directoryVersion: number().optional(),
    /** bumped by every save of the field definitions (字段管理): warm instances drop their copy */
    fieldsVersion: number().optional(),
    /** bumped by every save of the settings a create reads (公海规则, 审批流程): warm instances drop their copy */
    settingsVersion: number().optional(),
  }),
  computeKey: ({ tenantId }: { tenantId: string }) => ({ pk: tenantKey(tenantId, TAG.tenant), sk: '#' }),
})

/**
 * 任务提醒. While a card is due it sits in the sparse index gsi3 (`T#t#REMIND` → `<fireAt>#<id>`), so
 * the scheduler reads only due reminders.
 */
export const ReminderEntity = new Entity({
  name: 'reminders',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    recordType: string(),
    recordId: string(),
    recordName: string().optional(),
    title: string(),
    content: string().optional(),
    assigneeIds: list(string()),
    dueAt: string(),
    remindBeforeMinutes: number(),
    repeat: string().enum('none', 'daily', 'weekly', 'monthly'),
    repeatUntil: string().optional(),
    status: string().enum('pending', 'sent', 'done', 'cancelled'),
    /** when the next card goes out; absent once nothing is scheduled */
    fireAt: string().optional(),
    /** first due time of a repeating series: occurrences are counted from it (no month-end drift) */
    anchorAt: string(),
    lastSentAt: string().optional(),
    sentCount: number(),
  }),
  computeKey: recordKey(TAG.reminder),
})

/** 通知设置: per department, the group robot and chat that get its cards, and where each event goes. One item per tenant. */
export const NotificationSettingsEntity = new Entity({
  name: 'notificationSettings',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    groups: list(map({ deptId: string(), robotCode: string(), openConversationId: string() })),
    /** per department, per event: person, group or both */
    routing: list(map({ deptId: string(), events: record(string(), string()) })).optional(),
    updatedAt: string(),
    updatedBy: string(),
    version: number(),
  }),
  computeKey: ({ tenantId }: { tenantId: string }) => ({
    pk: tenantKey(tenantId, TAG.setting, 'notifications'),
    sk: '#',
  }),
})
