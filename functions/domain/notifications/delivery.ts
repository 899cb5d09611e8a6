import type { FormattedItem } from 'dynamodb-toolbox'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { $remove, isConditionCheckFailed, UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { ulid } from 'ulid'
import type { OutboxMessage as OutboxView } from '../../../shared/schemas/index.js'
import { now } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { conflict, notFound } from '../../core/errors.js'
import { log } from '../../core/log.js'
import type { Write } from '../../db/commit.js'
import { decodeCursor, encodeCursor } from '../../db/cursor.js'
import { OutboxEntity } from '../../db/entities/outbox.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { table } from '../../db/table.js'
import { actionCard, robotActionCard, type ActionCardInput } from '../../dingtalk/messages.js'
import { dingtalk, WORK_NOTIFICATION_MAX_USERS } from '../../dingtalk/client.js'
import { isDingTalkError } from '../../dingtalk/errors.js'
import type { OutboxMessage } from './outbox.js'
import {
  GroupQueued,
  groupMarkdown,
  groupMessageId,
  isRoutable,
  loadRouting,
  route,
  sendThroughWindow,
  type Routed,
  type Routing,
} from './groups.js'
import { appLimiter } from './limits.js'
import { cardLinks } from './links.js'
import { syncTodo, TodoBusy, type UnionIdCache } from './todos.js'

/**
 * Outbox delivery: due messages (gsi3 `T#t#OUT` → `<availableAt>#<id>`) are claimed one by one with a
 * conditional update and a lease (a to-do's message by its to-do's lock instead: todos.ts), sent as a work-notification action card (and, as each department
 * chose, a robot card to its team group: groups.ts), then marked sent. A to-do's message syncs the
 * to-do (todos.ts). A failure is retried with
 * exponential backoff and jitter; after MAX_ATTEMPTS, or at once when DingTalk says retrying is
 * pointless, the message is parked in `T#t#OUT#FAILED` for an admin to see and retry. Nothing is dropped.
 */

export type OutboxItem = FormattedItem<typeof OutboxEntity>

export const MAX_ATTEMPTS = 6
/** a claim holds the message this long; a run that died lets it become due again after it */
export const LEASE_MS = 2 * 60_000
const BACKOFF_BASE_MS = 30_000
const BACKOFF_CAP_MS = 30 * 60_000
/** a to-do held by another delivery is tried again after this long */
const BUSY_RETRY_MS = 5_000
/** delivered messages are kept a month (TTL), for the record */
const SENT_TTL_SECONDS = 30 * 24 * 3600

// ---------- keys ----------

export const pendingIndex = (tenantId: string) => tenantKey(tenantId, TAG.outbox)
export const failedIndex = (tenantId: string) => tenantKey(tenantId, TAG.outbox, 'FAILED')
const iso = (ms: number) => new Date(ms).toISOString()
/** the upper bound of a due query: every `<time>#<id>` at or before `at` */
export const dueBound = (at: number) => `${iso(at)}#~`

// ---------- writing ----------

/**
 * An outbox item that is already claimed by the caller (status sending, leased): for a message the
 * scheduler creates and sends in the same run (a due reminder), which saves the claim.
 */
export function claimedOutboxWrite(
  tenantId: string,
  message: OutboxMessage,
  id: string = ulid(),
): { write: Write; item: OutboxItem } {
  const at = now()
  const leaseUntil = iso(at + LEASE_MS)
  const item: OutboxItem = {
    ...message,
    tenantId,
    id,
    status: 'sending',
    attempts: 0,
    availableAt: message.availableAt ?? iso(at),
    leaseUntil,
    createdAt: iso(at),
    updatedAt: iso(at),
    version: 1,
    gsi3pk: pendingIndex(tenantId),
    gsi3sk: `${leaseUntil}#${id}`,
  }
  return { write: { action: OutboxEntity.build(PutTransaction).item(item) }, item }
}

// ---------- delivering ----------

export interface DeliveryStats {
  /** cards sent to people (work notifications) */
  delivered: number
  /** cards sent to team groups */
  groups: number
  /** to-dos brought in line with DingTalk (`todo.*` messages) */
  todos: number
  retried: number
  /** group cards waiting for their group's window (not failures) */
  queued: number
  failed: number
  /** claimed by someone else first (an overlapping run) */
  skipped: number
}

export const emptyStats = (): DeliveryStats => ({
  delivered: 0,
  groups: 0,
  todos: 0,
  retried: 0,
  queued: 0,
  failed: 0,
  skipped: 0,
})

/**
 * What one tenant's deliveries share within a run: its routing (settings and directory, read once, when
 * first needed), and the earliest time a queued group card may go (the run waits for it if it can).
 */
export interface DeliveryContext {
  tenantId: string
  stats: DeliveryStats
  routing(): Promise<Routing>
  wakeAt?: number
  /** groups whose window is full, until when: their other cards wait untouched this run */
  fullGroups: Map<string, number>
  /** the to-dos' executors, read once a run */
  unionIds: UnionIdCache
}

export function deliveryContext(tenantId: string, stats = emptyStats()): DeliveryContext {
  let routing: Promise<Routing> | undefined
  return {
    tenantId,
    stats,
    routing: () => (routing ??= loadRouting(tenantId)),
    fullGroups: new Map(),
    unionIds: new Map(),
  }
}

const groupKey = (group: NonNullable<OutboxItem['group']>) => `${group.robotCode}#${group.openConversationId}`

/** One page of due messages, oldest first. */
async function dueOutbox(tenantId: string, at: number, cursor?: Record<string, string>) {
  const { Items = [], LastEvaluatedKey } = await table
    .build(QueryCommand)
    .entities(OutboxEntity)
    .query({ index: 'gsi3', partition: pendingIndex(tenantId), range: { lte: dueBound(at) } })
    .options({ limit: 100, exclusiveStartKey: cursor })
    .send()
  return { items: Items, next: LastEvaluatedKey as Record<string, string> | undefined }
}

/** Takes a due message for this run: only if nobody changed it since it was read (version). */
async function claim(item: OutboxItem): Promise<OutboxItem | undefined> {
  const at = now()
  const leaseUntil = iso(at + LEASE_MS)
  try {
    const { Attributes } = await OutboxEntity.build(UpdateItemCommand)
      .item({
        tenantId: item.tenantId,
        id: item.id,
        status: 'sending',
        leaseUntil,
        gsi3sk: `${leaseUntil}#${item.id}`,
        updatedAt: iso(at),
        version: item.version + 1,
      })
      .options({ condition: { attr: 'version', eq: item.version }, returnValues: 'ALL_NEW' })
      .send()
    return Attributes as OutboxItem
  } catch (error) {
    if (isConditionCheckFailed(error)) return undefined
    throw error
  }
}

const backoffMs = (attempts: number) => {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** (attempts - 1))
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2) // equal jitter: never ~0
}

/**
 * A person message's cards for its groups, each an outbox message of its own (id derived from the
 * parent's, so a repeated delivery writes none twice), written already claimed by this run.
 */
async function groupChildren(item: OutboxItem, routing: Routing, groups: Routed['groups']) {
  const children: OutboxItem[] = []
  for (const { group, userIds } of groups) {
    const { item: child } = claimedOutboxWrite(
      item.tenantId,
      {
        kind: item.kind,
        userIds: [],
        title: item.title,
        markdown: groupMarkdown(routing, item.markdown, userIds),
        link: item.link,
        recordType: item.recordType,
        recordId: item.recordId,
        group: {
          deptId: group.deptId,
          robotCode: group.robotCode,
          openConversationId: group.openConversationId,
        },
      },
      groupMessageId(item.id, group),
    )
    try {
      await OutboxEntity.build(PutItemCommand)
        .item(child)
        .options({ condition: { attr: 'id', exists: false } })
        .send()
      children.push(child)
    } catch (error) {
      // written by an earlier attempt: that one (or the queue) delivers it
      if (!isConditionCheckFailed(error)) throw error
    }
  }
  return children
}

/** Sends a group card through its group's window: queued (GroupQueued) when the window is full. */
async function sendToGroup(item: OutboxItem, card: ActionCardInput) {
  const group = item.group!
  const answer = await sendThroughWindow(item.tenantId, group, () =>
    dingtalk().sendGroupMessage({
      robotCode: group.robotCode,
      openConversationId: group.openConversationId,
      ...robotActionCard(card),
    }),
  )
  if ('retryAt' in answer) throw new GroupQueued(answer.retryAt)
}

/** Sends a claimed message and records the outcome: sent, due again later, or parked as failed. */
export async function deliverClaimed(
  item: OutboxItem,
  ctx: DeliveryContext,
): Promise<'delivered' | 'retried' | 'failed'> {
  const progress = { notifiedAt: item.notifiedAt }
  const card = {
    title: item.title.slice(0, 64),
    markdown: item.markdown,
    singleTitle: '查看详情',
    ...cardLinks(item.link),
  }
  let failure: unknown
  let children: OutboxItem[] = []
  try {
    if (item.todoSourceId) {
      // a to-do's message: bring the to-do in line (todos.ts)
      await syncTodo(item.tenantId, item.todoSourceId, { unionIds: ctx.unionIds })
    } else if (item.group) {
      await sendToGroup(item, card)
    } else if (!progress.notifiedAt) {
      // people and groups as the departments chose (groups.ts); the groups' cards are messages of their own
      // (a person's briefing is theirs alone: the daily job writes each group's own briefing)
      const routable =
        (isRoutable(item.kind) && item.kind !== 'report.briefing') || (item.deptIds?.length ?? 0) > 0
      const routing = routable ? await ctx.routing() : undefined
      const routed = routing
        ? route(routing, item.kind, item.userIds, item.deptIds)
        : { userIds: item.userIds, groups: [] }
      for (let i = 0; i < routed.userIds.length; i += WORK_NOTIFICATION_MAX_USERS) {
        await dingtalk().sendWorkNotification(
          { userIds: routed.userIds.slice(i, i + WORK_NOTIFICATION_MAX_USERS), msg: actionCard(card) },
          { limiter: appLimiter() },
        )
      }
      progress.notifiedAt = iso(now())
      if (routing && routed.groups.length > 0) children = await groupChildren(item, routing, routed.groups)
    }
  } catch (error) {
    failure = error
  }

  const at = now()
  const common = {
    tenantId: item.tenantId,
    id: item.id,
    notifiedAt: progress.notifiedAt,
    leaseUntil: $remove(),
    updatedAt: iso(at),
    version: item.version + 1,
  }
  let outcome: 'delivered' | 'retried' | 'failed'
  let changes
  if (failure === undefined) {
    outcome = 'delivered'
    changes = {
      ...common,
      status: 'sent' as const,
      deliveredAt: iso(at),
      expiresAt: Math.floor(at / 1000) + SENT_TTL_SECONDS,
      gsi3pk: $remove(),
      gsi3sk: $remove(),
    }
  } else if (failure instanceof TodoBusy || failure instanceof GroupQueued) {
    // another delivery holds the to-do, or the group's window is full: back later, no attempt spent
    outcome = 'retried'
    const availableAt = iso(failure instanceof GroupQueued ? failure.retryAt : at + BUSY_RETRY_MS)
    if (failure instanceof GroupQueued) {
      ctx.wakeAt = Math.min(ctx.wakeAt ?? Infinity, failure.retryAt)
      ctx.fullGroups.set(groupKey(item.group!), failure.retryAt)
    }
    changes = { ...common, status: 'pending' as const, availableAt, gsi3sk: `${availableAt}#${item.id}` }
  } else {
    const attempts = item.attempts + 1
    // a bug or an unknown failure is retried too; only DingTalk saying "don't" parks at once
    const retryable = !isDingTalkError(failure) || failure.retryable
    const lastError = failure instanceof Error ? failure.message.slice(0, 500) : String(failure)
    if (retryable && attempts < MAX_ATTEMPTS) {
      outcome = 'retried'
      const availableAt = iso(at + backoffMs(attempts))
      changes = {
        ...common,
        status: 'pending' as const,
        attempts,
        lastError,
        availableAt,
        gsi3sk: `${availableAt}#${item.id}`,
      }
      log('warn', 'outbox.retry', { tenantId: item.tenantId, outboxId: item.id, attempts, lastError })
    } else {
      outcome = 'failed'
      changes = {
        ...common,
        status: 'failed' as const,
        attempts,
        lastError,
        failedAt: iso(at),
        gsi3pk: failedIndex(item.tenantId),
        gsi3sk: `${iso(at)}#${item.id}`,
      }
      log('warn', 'outbox.parked', { tenantId: item.tenantId, outboxId: item.id, attempts, lastError })
    }
  }
  try {
    await OutboxEntity.build(UpdateItemCommand)
      .item(changes)
      .options({ condition: { attr: 'version', eq: item.version } })
      .send()
  } catch (error) {
    // Our lease ran out and another run took the message: it owns the outcome now.
    if (!isConditionCheckFailed(error)) throw error
    log('warn', 'outbox.lease_lost', { tenantId: item.tenantId, outboxId: item.id })
  }
  if (failure instanceof GroupQueued) ctx.stats.queued += 1
  else if (outcome !== 'delivered') ctx.stats[outcome] += 1
  else if (item.todoSourceId) ctx.stats.todos += 1
  else if (item.group) ctx.stats.groups += 1
  else ctx.stats.delivered += 1
  // the groups' cards of a person message go out now, each through its group's window
  for (const child of children) {
    await isolated(child.tenantId, child.id, () => deliverClaimed(child, ctx).then(() => {}))
  }
  return outcome
}

/**
 * One message's work: an unexpected error (DynamoDB unreachable...) is logged and the run goes on with
 * the others; the message stays leased and becomes due again when its lease ends.
 */
export async function isolated(tenantId: string, id: string, work: () => Promise<void>): Promise<void> {
  try {
    await work()
  } catch (error) {
    log('error', 'outbox.item_failed', {
      tenantId,
      id,
      error: error instanceof Error ? error.message : String(error),
    })
  }
}

/** Runs `work` over the items with at most `concurrency` at a time. */
export async function inPool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await work(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}

/**
 * Delivers a tenant's due messages until none is left or the run's deadline has passed. When group
 * cards wait for a window that frees before the deadline, the run waits for it and goes on: a burst
 * for one group leaves at its 20 a minute, not at one window per scheduler run.
 */
export async function deliverOutbox(
  ctx: DeliveryContext,
  { deadline = Number.POSITIVE_INFINITY, concurrency = 8 } = {},
): Promise<DeliveryStats> {
  for (;;) {
    ctx.wakeAt = undefined
    let cursor: Record<string, string> | undefined
    do {
      const page = await dueOutbox(ctx.tenantId, now(), cursor)
      await inPool(page.items, concurrency, async (item) => {
        if (now() > deadline) return
        if (item.group && (ctx.fullGroups.get(groupKey(item.group)) ?? 0) > now()) {
          ctx.stats.queued += 1 // its group's window is full: it waits as it is
          return
        }
        await isolated(ctx.tenantId, item.id, async () => {
          // a to-do's message needs no claim: its sync holds the to-do's own lock and only brings DingTalk
          // in line with the wanted state, so a second delivery changes nothing (and its outcome, written
          // over the version read, gives way to the first's)
          const claimed = item.todoSourceId && item.status === 'pending' ? item : await claim(item)
          if (!claimed) {
            ctx.stats.skipped += 1
            return
          }
          await deliverClaimed(claimed, ctx)
        })
      })
      cursor = page.next
    } while (cursor && now() <= deadline)
    const wakeAt = ctx.wakeAt as number | undefined
    if (wakeAt === undefined || wakeAt > deadline) return ctx.stats
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wakeAt - now()) + 50))
  }
}

// ---------- admin: parked and waiting messages ----------

const toView = (item: OutboxItem): OutboxView => ({
  id: item.id,
  kind: item.kind,
  userIds: item.userIds,
  deptIds: item.deptIds,
  title: item.title,
  recordType: item.recordType,
  recordId: item.recordId,
  todoSourceId: item.todoSourceId,
  status: item.status,
  attempts: item.attempts,
  availableAt: item.availableAt,
  lastError: item.lastError,
  failedAt: item.failedAt,
  deliveredAt: item.deliveredAt,
  createdAt: item.createdAt,
  updatedAt: item.updatedAt,
  version: item.version,
})

/** `GET /api/admin/outbox?status=failed|pending`: parked messages newest first, or the waiting queue. */
export async function listOutbox(
  session: Session,
  { status, limit, cursor }: { status: 'failed' | 'pending'; limit: number; cursor?: string },
) {
  const partition = status === 'failed' ? failedIndex(session.tenantId) : pendingIndex(session.tenantId)
  const { Items = [], LastEvaluatedKey } = await table
    .build(QueryCommand)
    .entities(OutboxEntity)
    .query({ index: 'gsi3', partition })
    .options({
      limit,
      reverse: status === 'failed',
      exclusiveStartKey: decodeCursor(cursor, session.tenantId),
    })
    .send()
  return { items: Items.map(toView), nextCursor: encodeCursor(LastEvaluatedKey) }
}

/** `POST /api/admin/outbox/{id}/retry`: a parked message goes back to the queue, due now, attempts reset. */
export async function retryOutbox(session: Session, id: string): Promise<OutboxView> {
  const { Item } = await OutboxEntity.build(GetItemCommand)
    .key({ tenantId: session.tenantId, id })
    .options({ consistent: true })
    .send()
  if (!Item) throw notFound('outbox')
  if (Item.status !== 'failed') throw conflict('outbox.not_failed', '只有发送失败的消息可以重试')
  const at = iso(now())
  const next = {
    tenantId: session.tenantId,
    id,
    status: 'pending' as const,
    attempts: 0,
    availableAt: at,
    failedAt: $remove(),
    updatedAt: at,
    version: Item.version + 1,
    gsi3pk: pendingIndex(session.tenantId),
    gsi3sk: `${at}#${id}`,
  }
  try {
    const { Attributes } = await OutboxEntity.build(UpdateItemCommand)
      .item(next)
      .options({ condition: { attr: 'version', eq: Item.version }, returnValues: 'ALL_NEW' })
      .send()
    return toView(Attributes as OutboxItem)
  } catch (error) {
    if (isConditionCheckFailed(error)) throw conflict('version.conflict', '消息状态已变化，请刷新后重试')
    throw error
  }
}
