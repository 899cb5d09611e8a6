import { createHash } from 'node:crypto'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { isConditionCheckFailed } from 'dynamodb-toolbox/entity/actions/update'
import type {
  DeptRouting,
  NotificationDelivery,
  NotificationEvent,
  TeamGroup,
} from '../../../shared/schemas/index.js'
import { NotificationEvent as Events } from '../../../shared/schemas/index.js'
import { now, nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { AppError, notFound, unprocessable } from '../../core/errors.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { GroupWindowEntity } from '../../db/entities/outbox.js'
import { TAG } from '../../db/entities/record.js'
import { dingtalk } from '../../dingtalk/client.js'
import { isDingTalkError } from '../../dingtalk/errors.js'
import { robotActionCard } from '../../dingtalk/messages.js'
import { listDirectory } from '../directory/sessions.js'
import { LIMITS } from './limits.js'
import { cardLinks } from './links.js'
import { readNotificationSettings } from './settings.js'

/**
 * Team group chats (团队群): where a card goes — the person, the department's group chat, or both, as an
 * admin chose per department and event in 通知设置 — and the groups' send windows.
 *
 * A department without a choice for an event takes its parent's (up to the root), then `person`. A
 * card for the group goes to the department's group, else to the nearest ancestor's; a department with
 * no group up the tree gets it as a person, so choosing "group" never loses a card. Each group card is
 * its own outbox message (its id derived from the person message's), sent through the group's window:
 * at most 20 robot messages in any 61 seconds per group (DingTalk's 20 a minute, plus a second of
 * margin for a call's travel), shared by every run through a conditional write; a card beyond it is
 * queued for the time a slot frees, never dropped.
 */

interface Dept {
  id: string
  name: string
  /** root first, the department itself last */
  path: string[]
}
interface Person {
  id: string
  name: string
  deptIds: string[]
}

/** What one tenant's routing needs, read once per delivery run when a routable card first needs it. */
export interface Routing {
  groups: Map<string, TeamGroup>
  rules: Map<string, DeptRouting['events']>
  depts: Map<string, Dept>
  people: Map<string, Person>
}

export async function loadRouting(tenantId: string): Promise<Routing> {
  const [settings, depts, people] = await Promise.all([
    readNotificationSettings(tenantId),
    listDirectory<Dept>(DeptEntity, TAG.dept, tenantId),
    listDirectory<Person>(UserEntity, TAG.user, tenantId),
  ])
  return {
    groups: new Map(settings.groups.map((g) => [g.deptId, g])),
    rules: new Map(settings.routing.map((r) => [r.deptId, r.events])),
    depts: new Map(depts.map((d) => [d.id, d])),
    people: new Map(people.map((p) => [p.id, p])),
  }
}

/** the department and its ancestors, nearest first */
const upward = (routing: Routing, deptId: string) => {
  const path = routing.depts.get(deptId)?.path ?? [deptId]
  return [...path].reverse()
}

export const isRoutable = (kind: string): kind is NotificationEvent =>
  (Events.options as string[]).includes(kind)

/** the department's choice for an event: its own, else its parent's (and up), else `person` */
export function deliveryOf(routing: Routing, deptId: string, event: NotificationEvent): NotificationDelivery {
  for (const id of upward(routing, deptId)) {
    const chosen = routing.rules.get(id)?.[event]
    if (chosen) return chosen
  }
  return 'person'
}

/** the department's group, else the nearest ancestor's */
export function groupOf(routing: Routing, deptId: string): TeamGroup | undefined {
  for (const id of upward(routing, deptId)) {
    const group = routing.groups.get(id)
    if (group) return group
  }
  return undefined
}

export interface Routed {
  /** who gets the card as a work notification */
  userIds: string[]
  /** the groups that get it, each with the people it is about */
  groups: { group: TeamGroup; userIds: string[] }[]
}

/**
 * Where a card for these people goes: per person, by their (first) department's choice for the event.
 * `deptIds` name departments whose groups get it besides (a message written for a department).
 */
export function route(routing: Routing, event: string, userIds: string[], deptIds: string[] = []): Routed {
  const people: string[] = []
  const groups = new Map<string, { group: TeamGroup; userIds: string[] }>()
  const toGroup = (group: TeamGroup, userId?: string) => {
    const found = groups.get(group.openConversationId) ?? { group, userIds: [] }
    if (userId) found.userIds.push(userId)
    groups.set(group.openConversationId, found)
  }
  for (const userId of userIds) {
    const deptId = routing.people.get(userId)?.deptIds[0]
    const delivery = deptId && isRoutable(event) ? deliveryOf(routing, deptId, event) : 'person'
    const group = delivery !== 'person' && deptId ? groupOf(routing, deptId) : undefined
    if (group) toGroup(group, userId)
    if (delivery !== 'group' || !group) people.push(userId)
  }
  for (const deptId of deptIds) {
    const group = groupOf(routing, deptId)
    if (group) toGroup(group)
  }
  return { userIds: people, groups: [...groups.values()] }
}

/** A group card says whom it is about, by name and department (a chat has many readers). */
export function groupMarkdown(routing: Routing, markdown: string, userIds: string[]): string {
  if (userIds.length === 0) return markdown
  const names = userIds.map((id) => {
    const person = routing.people.get(id)
    const dept = person?.deptIds[0] && routing.depts.get(person.deptIds[0])?.name
    return `${person?.name ?? '（已不在通讯录的成员）'}${dept ? `（${dept}）` : ''}`
  })
  return `${markdown}\n\n—— ${names.join('、')}`
}

/** The outbox id of a person message's card for one group: the same for every delivery attempt. */
export const groupMessageId = (parentId: string, group: TeamGroup) =>
  `${parentId}.g.${createHash('sha256').update(group.openConversationId).digest('hex').slice(0, 16)}`

// ---------------------------------------------------------------- the groups' send windows

export const WINDOW_MS = LIMITS.robot.windowMs
const PER_WINDOW = LIMITS.robot.perWindow

/** this instance's takers of one group queue behind each other (no conflicts among themselves) */
const queues = new Map<string, Promise<unknown>>()

/**
 * A slot to send one robot message to the group now, or the time one frees. Reads the group's window
 * and appends the send with a condition on its version: every run, in any instance, takes from the
 * same 20.
 */
type GroupSlot = { ok: true; at: string } | { ok: false; retryAt: number }

export function takeGroupSlot(
  tenantId: string,
  group: Pick<TeamGroup, 'robotCode' | 'openConversationId'>,
): Promise<GroupSlot> {
  const key = `${group.robotCode}#${group.openConversationId}`
  const queued = `${tenantId}|${key}`
  const run = (queues.get(queued) ?? Promise.resolve()).then(() => take(tenantId, key))
  const tail = run.catch(() => undefined)
  queues.set(queued, tail)
  void tail.then(() => {
    if (queues.get(queued) === tail) queues.delete(queued)
  })
  return run
}

async function take(tenantId: string, group: string): Promise<GroupSlot> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const { Item } = await GroupWindowEntity.build(GetItemCommand)
      .key({ tenantId, group })
      .options({ consistent: true })
      .send()
    const at = now()
    const recent = (Item?.sends ?? []).filter((t) => Date.parse(t) > at - WINDOW_MS).sort()
    if (recent.length >= PER_WINDOW) return { ok: false, retryAt: Date.parse(recent[0]) + WINDOW_MS }
    const sentAt = nowIso()
    try {
      await GroupWindowEntity.build(PutItemCommand)
        .item({ tenantId, group, sends: [...recent, sentAt], version: (Item?.version ?? 0) + 1 })
        .options({
          condition: Item ? { attr: 'version', eq: Item.version } : { attr: 'version', exists: false },
        })
        .send()
      return { ok: true, at: sentAt }
    } catch (error) {
      if (!isConditionCheckFailed(error)) throw error
    }
  }
  return { ok: false, retryAt: now() + 1000 }
}

/** a send that returned later than this after its slot was taken is recorded at its return instead */
const LATE_MS = 500

/**
 * One robot message through the group's window: a slot, the send, and — when the send returned late
 * (a slow token, a busy instance) — the slot moved to the time it returned. The window counts a send at
 * its slot's time, but DingTalk counts it where it arrived, at the latest its return: a send that left
 * seconds after its slot would let the 21st of a minute through, and DingTalk then blocks the robot
 * for 10 minutes. `null`: the window is full until `retryAt`.
 */
export async function sendThroughWindow<T>(
  tenantId: string,
  group: Pick<TeamGroup, 'robotCode' | 'openConversationId'>,
  send: () => Promise<T>,
): Promise<{ sent: T } | { retryAt: number }> {
  const slot = await takeGroupSlot(tenantId, group)
  if (!slot.ok) return { retryAt: slot.retryAt }
  try {
    return { sent: await send() }
  } finally {
    if (now() - Date.parse(slot.at) > LATE_MS) {
      await moveSend(tenantId, `${group.robotCode}#${group.openConversationId}`, slot.at, nowIso())
    }
  }
}

async function moveSend(tenantId: string, group: string, from: string, to: string) {
  for (let attempt = 0; attempt < 8; attempt++) {
    const { Item } = await GroupWindowEntity.build(GetItemCommand)
      .key({ tenantId, group })
      .options({ consistent: true })
      .send()
    const index = Item?.sends.indexOf(from) ?? -1
    if (!Item || index < 0) return
    const sends = Item.sends.map((t, i) => (i === index ? to : t)).sort()
    try {
      await GroupWindowEntity.build(PutItemCommand)
        .item({ tenantId, group, sends, version: Item.version + 1 })
        .options({ condition: { attr: 'version', eq: Item.version } })
        .send()
      return
    } catch (error) {
      if (!isConditionCheckFailed(error)) throw error
    }
  }
}

/** a group card that waits for its group's window (not a failure: no attempt is spent) */
export class GroupQueued extends Error {
  constructor(readonly retryAt: number) {
    super('群消息超出每分钟 20 条，排队等待')
  }
}

// ---------------------------------------------------------------- 测试发送

/**
 * 测试发送: one card to a department's group now — the saved group, or the one being set up — through
 * its window. DingTalk's refusal comes back as 422 with DingTalk's message.
 */
export async function testSendGroup(
  session: Session,
  input: { deptId: string; robotCode?: string; openConversationId?: string },
) {
  const routing = await loadRouting(session.tenantId)
  const dept = routing.depts.get(input.deptId)
  if (!dept) throw notFound('dept')
  const saved = routing.groups.get(input.deptId)
  const robotCode = input.robotCode ?? saved?.robotCode
  const openConversationId = input.openConversationId ?? saved?.openConversationId
  if (!robotCode || !openConversationId) {
    throw unprocessable('notification.no_group', `「${dept.name}」还没有设置群，请填写机器人编码和群会话 ID`)
  }
  const title = `测试消息 · ${dept.name}`
  try {
    const answer = await sendThroughWindow(session.tenantId, { robotCode, openConversationId }, () =>
      dingtalk().sendGroupMessage({
        robotCode,
        openConversationId,
        ...robotActionCard({
          title,
          markdown: `### ${title}\n${session.name} 在「通知设置」中测试发送：本群将收到「${dept.name}」的 CRM 卡片。`,
          singleTitle: '打开 CRM',
          ...cardLinks({ page: 'pages/home/index', query: {} }),
        }),
      }),
    )
    if (!('sent' in answer)) {
      throw new AppError(429, 'rate.limited', '该群一分钟内已收到 20 条消息，请稍后再试')
    }
    const { processQueryKey } = answer.sent
    return { deptId: dept.id, openConversationId, title, processQueryKey }
  } catch (error) {
    if (!isDingTalkError(error)) throw error
    throw unprocessable('notification.send_failed', `钉钉未能发送：${error.message}`)
  }
}
