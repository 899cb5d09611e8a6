import { Entity } from 'dynamodb-toolbox/entity'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { map } from 'dynamodb-toolbox/schema/map'
import { number } from 'dynamodb-toolbox/schema/number'
import { record } from 'dynamodb-toolbox/schema/record'
import { string } from 'dynamodb-toolbox/schema/string'
import { table } from '../table.js'
import { boolean } from 'dynamodb-toolbox/schema/boolean'
import { recordKey, tenantKey, TAG } from './record.js'

/**
 * A message to deliver to DingTalk, written in the same transaction as the change that causes it and
 * delivered by the scheduled function. While it waits it sits in the sparse index gsi3
 * (`T#t#OUTBOX` → `<availableAt>#<id>`), so the scheduler reads only what is due.
 */
export const OutboxEntity = new Entity({
  name: 'outbox',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    id: string().key(),
    /** what happened: `lead.assigned`, `customer.assigned`, `reminder.due`, ... */
    kind: string(),
    /** DingTalk user ids to receive a work notification */
    userIds: list(string()),
    /** departments whose team group (robot) also gets the card */
    deptIds: list(string()).optional(),
    title: string(),
    /** markdown body of the action card */
    markdown: string(),
    /** the mini-program page the card opens, and its query */
    link: map({ page: string(), query: record(string(), string()) }),
    recordType: string().optional(),
    recordId: string().optional(),
    /** a card for one team group (a group robot in a chat): sent through the group's 20-a-minute window */
    group: map({ deptId: string(), robotCode: string(), openConversationId: string() }).optional(),
    /** a to-do's sync (`todo.create`, `todo.update`, `todo.done`, `todo.remove`): the to-do it brings to DingTalk */
    todoSourceId: string().optional(),
    status: string().enum('pending', 'sending', 'sent', 'failed'),
    attempts: number(),
    availableAt: string(),
    leaseUntil: string().optional(),
    lastError: string().optional(),
    /** progress kept across retries, so a retry does not repeat what already went out */
    notifiedAt: string().optional(),
    groupsSent: list(string()).optional(),
    deliveredAt: string().optional(),
    failedAt: string().optional(),
    /** a delivered message expires (TTL) after 30 days */
    expiresAt: number().optional(),
    createdAt: string(),
    updatedAt: string(),
    version: number(),
    gsi3pk: string().optional(),
    gsi3sk: string().optional(),
  }),
  computeKey: recordKey(TAG.outbox),
})

/**
 * A DingTalk to-do as the CRM wants it (`subject`…`removed`, written by domain verbs in their own
 * transactions, each write adding 1 to `rev`) and as DingTalk was last told (`taskId`, `synced`: the
 * JSON of what the last call left there). The outbox's `todo.*` messages bring DingTalk in line;
 * `lockUntil`/`lockId` let one delivery at a time do it. Key `T#t#TODO#<sourceId>`.
 */
export const TodoEntity = new Entity({
  name: 'todos',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    sourceId: string().key(),
    subject: string().optional(),
    description: string().optional(),
    /** ISO; absent: no due time */
    dueAt: string().optional(),
    /** the CRM's user ids of the executors */
    userIds: list(string()).optional(),
    link: map({ page: string(), query: record(string(), string()) }).optional(),
    done: boolean().optional(),
    removed: boolean().optional(),
    recordType: string().optional(),
    recordId: string().optional(),
    rev: number().optional(),
    taskId: string().optional(),
    /** the creator's unionId: every later call acts as them */
    operatorUnionId: string().optional(),
    synced: string().optional(),
    lockUntil: string().optional(),
    lockId: string().optional(),
    createdAt: string().optional(),
    updatedAt: string().optional(),
  }),
  computeKey: ({ tenantId, sourceId }: { tenantId: string; sourceId: string }) => ({
    pk: tenantKey(tenantId, TAG.todo, sourceId),
    sk: '#',
  }),
})

/**
 * A team group's send window: the times of its last 20 robot messages (DingTalk takes 20 a minute per
 * group). Taking a slot is a conditional write on `version`, so every run and instance shares it. Key
 * `T#t#ROBOT#<robotCode>#<openConversationId>`.
 */
export const GroupWindowEntity = new Entity({
  name: 'groupWindows',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    group: string().key(),
    sends: list(string()),
    version: number(),
  }),
  computeKey: ({ tenantId, group }: { tenantId: string; group: string }) => ({
    pk: tenantKey(tenantId, TAG.robot, group),
    sk: '#',
  }),
})
