import { now } from '../../functions/core/clock.js'
import type { TestStack } from '../helpers/stack.js'

export interface DeliveredMessage {
  kind: string
  to: { userIds?: string[]; chatId?: string; openConversationId?: string }
  title: string
  text: string
  links: string[]
  at: string
}

/** One scheduler run over HTTP, as if the time were `now`. */
export async function runScheduler(t: TestStack, now: string) {
  const { status, json } = await t.http('POST', '/__dev/scheduler/run', { body: { now } })
  if (status !== 200) throw new Error(`scheduler run failed: ${JSON.stringify(json)}`)
  return json as {
    reminders: { fired: number; skipped: number; unseen: number }
    outbox: { delivered: number; retried: number; failed: number; skipped: number }
  }
}

/** Every message the emulator delivered, oldest first. */
export async function delivered(t: TestStack): Promise<DeliveredMessage[]> {
  const { json } = await t.http('GET', '/dingtalk/__messages')
  return [...(json.items as DeliveredMessage[])].reverse()
}

/** The cards whose button carries this query value (a reminder's id, a record's id). */
export const linkingTo = (messages: DeliveredMessage[], needle: string) =>
  messages.filter((m) => m.links.some((link) => decodeURIComponent(link).includes(needle)))

/**
 * Run times that keep clear of the tenant's daily jobs: from now, or from the next 08:01 Asia/Shanghai
 * when a file's 7½ hours would reach the next 08:00 (the briefing cards then go in the first run,
 * never among what a test counts).
 */
export function runClock(start: number = now()) {
  const DAY_MS = 86_400_000
  const CHINA_MS = 8 * 3_600_000
  const local = start + CHINA_MS
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS + 8 * 3_600_000 + 60_000
  const anchor =
    local < dayStart
      ? dayStart - CHINA_MS
      : local + 7.5 * 3_600_000 < dayStart + DAY_MS
        ? local - CHINA_MS
        : dayStart + DAY_MS - CHINA_MS
  return (minutes: number) => new Date(Math.max(anchor, now()) + minutes * 60_000).toISOString()
}

export interface EmulatedTodo {
  id: string
  sourceId: string
  subject: string
  done: boolean
  dueAt?: string
  executors: string[]
  detailUrl: { appUrl?: string; pcUrl?: string }
}

/** The emulator's to-dos (a demo user's when given), newest first. */
export async function todos(t: TestStack, userId?: string): Promise<EmulatedTodo[]> {
  const { json } = await t.http('GET', `/dingtalk/__todos${userId ? `?userId=${userId}` : ''}`)
  return json.items as EmulatedTodo[]
}
