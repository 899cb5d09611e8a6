import type { TestStack } from '../helpers/stack.js'

export interface DeliveredMessage {
  kind: string
  to: { userIds?: string[]; chatId?: string }
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
