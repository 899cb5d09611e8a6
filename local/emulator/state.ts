/** The emulator's memory: one instance per `createEmulator()`. */
import { createHash, randomBytes } from 'node:crypto'
import type { TodoTask } from './todos.js'

export type MessageKind = 'work_notification' | 'group' | 'robot_o2o'

export interface DeliveredMessage {
  id: string
  kind: MessageKind
  /** a group message names its chat twice: `chatId` and, as DingTalk's API does, `openConversationId` */
  to: { userIds?: string[]; chatId?: string; openConversationId?: string; robotCode?: string }
  title: string
  text: string
  links: string[]
  /** the payload as DingTalk received it (`msg` of a work notification, `{msgKey, msgParam}` of a robot) */
  msg: unknown
  at: string
}

export interface Fault {
  /** the DingTalk path as on its own host, e.g. `/topapi/v2/user/get` */
  path: string
  status: number
  count: number
  /** oapi: answer this errcode (with `status` 200 it is a normal oapi error); api host: the `code` */
  errcode?: number | string
  errmsg?: string
  /** answer only after this many milliseconds (real time), so that clients time out */
  delayMs?: number
  /** handle the call as usual first, then answer the fault: the call landed, its answer was lost */
  after?: boolean
  /** apply to one call in `every` (the `every`-th, 2·`every`-th… counted from `phase`), not to each */
  every?: number
  phase?: number
  /** calls to the path seen so far (for `every`) */
  seen?: number
  /** answer exactly this body (e.g. a malformed one) */
  body?: unknown
}

export interface IssuedToken {
  appKey: string
  expiresAt: number
}

export interface SendTask {
  agentId: string
  delivered: string[]
  invalid: string[]
  forbidden: { userid: string; code: string; count: number }[]
}

export const TOKEN_TTL_SECONDS = 7200
export const AUTH_CODE_TTL_MS = 5 * 60_000
export const WORK_NOTIFICATIONS_PER_USER_DAY = 500
export const ROBOT_MESSAGES_PER_MINUTE = 20
export const ROBOT_BLOCK_MS = 10 * 60_000
export const TOKEN_REQUESTS_PER_MINUTE = 1000
/** calls an app may make to one API per second (work notifications: beyond it, errcode 90018) */
export const WORK_NOTIFICATION_CALLS_PER_SECOND = 20
/** calls an app may make to one to-do API per second (beyond: `todo.<api>.flowControlError`) */
export const TODO_CALLS_PER_SECOND = 20

/** DingTalk counts days in China time */
export const chinaDay = (ms: number): string => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10)

export const contentHash = (value: unknown): string =>
  createHash('sha1')
    .update(JSON.stringify(value) ?? '')
    .digest('hex')

export const newId = (bytes = 12): string => randomBytes(bytes).toString('hex')

/** Keeps the timestamps of the last `windowMs` and says whether one more fits under `limit`. */
export class SlidingWindow {
  private readonly hits = new Map<string, number[]>()
  constructor(
    private readonly windowMs: number,
    private readonly limit: number,
  ) {}

  /** records a hit unless the key is already at its limit; returns whether it fitted */
  tryHit(key: string, now: number): boolean {
    // a clock set back (tests move the injected clock both ways) leaves later hits out of the window
    const recent = (this.hits.get(key) ?? []).filter((t) => t <= now && now - t < this.windowMs)
    if (recent.length >= this.limit) {
      this.hits.set(key, recent)
      return false
    }
    recent.push(now)
    this.hits.set(key, recent)
    return true
  }

  clear(): void {
    this.hits.clear()
  }
}

export class EmulatorState {
  /** tokens survive `reset()`: a client holding one keeps working, as with the real DingTalk */
  readonly tokens = new Map<string, IssuedToken>()
  readonly authCodes = new Map<string, { userId: string; expiresAt: number }>()
  /** scan login: OAuth2 codes and the user tokens they were exchanged for, by unionId */
  readonly oauthCodes = new Map<string, { unionId: string; expiresAt: number }>()
  readonly userTokens = new Map<string, { unionId: string; expiresAt: number }>()
  /** oldest first; the helper endpoint reverses */
  readonly messages: DeliveredMessage[] = []
  readonly faults: Fault[] = []
  readonly calls = new Map<string, number>()
  /** of those, the calls answered with DingTalk's rate-limit error (90018) */
  readonly throttled = new Map<string, number>()
  readonly tasks = new Map<number, SendTask>()
  /** `${day}|${userId}` → work notifications delivered */
  readonly notificationsPerUserDay = new Map<string, number>()
  /** `${day}|${userId}|${hash}` of contents delivered */
  readonly contentsPerUserDay = new Set<string>()
  readonly tokenRequests = new SlidingWindow(60_000, TOKEN_REQUESTS_PER_MINUTE)
  readonly robotMessages = new SlidingWindow(60_000, ROBOT_MESSAGES_PER_MINUTE)
  /** work-notification sends per app in the last second */
  readonly workNotificationCalls = new SlidingWindow(1000, WORK_NOTIFICATION_CALLS_PER_SECOND)
  readonly robotBlockedUntil = new Map<string, number>()
  /** to-dos by task id, and the task id of each `sourceId` ever used (a deleted task keeps it) */
  readonly todos = new Map<string, TodoTask>()
  readonly todoSources = new Map<string, string>()
  readonly todoCalls = new SlidingWindow(1000, TODO_CALLS_PER_SECOND)
  private nextTaskId = 1

  taskId(): number {
    return this.nextTaskId++
  }

  countCall(path: string, counts = this.calls): void {
    counts.set(path, (counts.get(path) ?? 0) + 1)
  }

  /**
   * takes one use of the first fault armed for this path (a fault path ending in `*` is a prefix); a
   * fault with `every` counts the calls it sees and applies to one in `every`
   */
  takeFault(path: string): Fault | undefined {
    const matches = (f: Fault) =>
      f.count > 0 && (f.path.endsWith('*') ? path.startsWith(f.path.slice(0, -1)) : f.path === path)
    const index = this.faults.findIndex((f) => {
      if (!matches(f)) return false
      if (!f.every) return true
      f.seen = (f.seen ?? 0) + 1
      return (f.seen + (f.phase ?? 0)) % f.every === 0
    })
    if (index < 0) return undefined
    const fault = this.faults[index]
    fault.count -= 1
    if (fault.count <= 0) this.faults.splice(index, 1)
    return fault
  }

  reset(): void {
    this.authCodes.clear()
    this.oauthCodes.clear()
    this.messages.length = 0
    this.faults.length = 0
    this.calls.clear()
    this.throttled.clear()
    this.tasks.clear()
    this.notificationsPerUserDay.clear()
    this.contentsPerUserDay.clear()
    this.tokenRequests.clear()
    this.robotMessages.clear()
    this.workNotificationCalls.clear()
    this.robotBlockedUntil.clear()
    this.todos.clear()
    this.todoSources.clear()
    this.todoCalls.clear()
  }
}
