import { now } from '../../functions/core/clock.js'
import { randomUUID } from 'node:crypto'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { commit } from '../../functions/db/commit.js'
import { MAX_ATTEMPTS } from '../../functions/domain/notifications/delivery.js'
import { outboxWrite } from '../../functions/domain/notifications/outbox.js'
import { DEMO_CORP_ID, DEMO_ROBOT_CODE, DEPT } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'
import { delivered, runScheduler } from './helpers.js'

const t = useStack()
/**
 * The runs' times start from now, or from the next 08:01 Asia/Shanghai when the file's 7½ hours would
 * reach the tenant's next 08:00: the daily jobs (the briefing cards...) then run in beforeAll's first
 * run, never among the calls a test counts.
 */
const DAY_MS = 86_400_000
const CHINA_MS = 8 * 3_600_000
const anchor = (() => {
  const local = now() + CHINA_MS
  const dayStart = Math.floor(local / DAY_MS) * DAY_MS + 8 * 3_600_000 + 60_000
  if (local < dayStart) return dayStart - CHINA_MS
  if (local + 7.5 * 3_600_000 < dayStart + DAY_MS) return local - CHINA_MS
  return dayStart + DAY_MS - CHINA_MS
})()
const minutesFromNow = (minutes: number) => new Date(Math.max(anchor, now()) + minutes * 60_000).toISOString()
let admin: string
let sales1: string

beforeAll(async () => {
  admin = await t.login('admin') // the first login also registers the tenant for the scheduler
  sales1 = await t.login('sales1')
  await runScheduler(t, minutesFromNow(1)) // delivers what the demo seed queued, so each test counts its own
})

afterEach(async () => {
  await t.http('DELETE', '/dingtalk/__faults')
})

const ASYNC_SEND = '/topapi/message/corpconversation/asyncsend_v2'

/** Writes messages the way a domain verb does: outbox items committed in one transaction. */
async function writeMessages(count: number, extra: { deptIds?: string[] } = {}) {
  const batch = randomUUID().slice(0, 8)
  const titles = Array.from({ length: count }, (_, i) => `线索分配 ${batch}-${i}`)
  for (let i = 0; i < titles.length; i += 25) {
    await commit(
      titles.slice(i, i + 25).map((title) =>
        outboxWrite(DEMO_CORP_ID, {
          kind: 'lead.assigned',
          userIds: ['sales1'],
          title,
          markdown: `### ${title}\n\n你有一条新线索`,
          link: { page: 'pages/lead/detail', query: { id: title } },
          ...extra,
        }),
      ),
    )
  }
  return titles
}

/**
 * calls DingTalk answered for work notifications so far (DingTalk itself hides a same-day repeat); calls
 * it turned away with its rate-limit error are left out: on a busy machine a stalled event loop can
 * bunch calls up as they arrive, and the one turned away is rightly sent again
 */
const sendCalls = () => t.stack.emulator.calls(ASYNC_SEND) - t.stack.emulator.throttled(ASYNC_SEND)

/** how many times each title was delivered as a work notification */
async function deliveries(titles: string[]) {
  const counts = new Map(titles.map((title) => [title, 0]))
  for (const m of await delivered(t)) {
    if (m.kind === 'work_notification' && counts.has(m.title)) counts.set(m.title, counts.get(m.title)! + 1)
  }
  return [...counts.values()]
}

describe('outbox delivery by the scheduler', () => {
  it('delivers a message written by outboxWrite in a commit exactly once', async () => {
    const [title] = await writeMessages(1)
    const before = sendCalls()
    await runScheduler(t, minutesFromNow(1))
    await runScheduler(t, minutesFromNow(2))
    expect(await deliveries([title])).toEqual([1])
    expect(sendCalls() - before).toBe(1)
    const card = (await delivered(t)).find((m) => m.title === title)!
    expect(card.to.userIds).toEqual(['sales1'])
    expect(decodeURIComponent(card.links[0])).toContain('page=pages/lead/detail?id=')
  })

  it("also posts to the department's team group when one is configured", async () => {
    const { status } = await t.http('PUT', '/api/settings/notifications', {
      token: admin,
      body: {
        groups: [
          { deptId: String(DEPT.sales1), robotCode: DEMO_ROBOT_CODE, openConversationId: 'cid-demo-sales1' },
        ],
      },
    })
    expect(status).toBe(200)
    const [title] = await writeMessages(1, { deptIds: [String(DEPT.sales1)] })
    await runScheduler(t, minutesFromNow(1))
    const group = (await delivered(t)).filter((m) => m.kind === 'group' && m.title === title)
    expect(group).toHaveLength(1)
    expect(group[0].to.chatId).toBe('cid-demo-sales1')
    expect(await deliveries([title])).toEqual([1])
  })

  it('lets only admins change the team groups', async () => {
    const { status, json } = await t.http('PUT', '/api/settings/notifications', {
      token: sales1,
      body: { groups: [] },
    })
    expect(status).toBe(403)
    expect(json.error.code).toBe('auth.forbidden')
  })

  it('delivers every message exactly once in the end when 20% of DingTalk calls fail', async () => {
    const titles = await writeMessages(20)
    // one call in five fails (5 of 25), spread over the run: server errors, DingTalk's per-app throttling answer
    // and 系统繁忙 (a fault with status 200 and nothing else lets that call through)
    const failures = [
      { status: 503 },
      { status: 200, errcode: 90018 },
      { status: 502 },
      { status: 200, errcode: -1 },
      { status: 500 },
    ]
    for (const failure of failures) {
      await t.http('POST', '/dingtalk/__faults', { body: { path: ASYNC_SEND, count: 1, ...failure } })
      await t.http('POST', '/dingtalk/__faults', { body: { path: ASYNC_SEND, status: 200, count: 4 } })
    }
    const before = sendCalls()
    const first = await runScheduler(t, minutesFromNow(1))
    expect(first.outbox.failed).toBe(0)
    for (let minutes = 60; minutes <= 240; minutes += 60) await runScheduler(t, minutesFromNow(minutes))
    // every failed call was sent again, and no successful one was
    expect(sendCalls() - before).toBe(titles.length + failures.length)
    expect((await t.http('GET', '/dingtalk/__faults')).json.items).toEqual([])
    expect(await deliveries(titles)).toEqual(titles.map(() => 1))
  })

  it('never sends a message twice when two scheduler runs overlap', async () => {
    const titles = await writeMessages(30)
    const at = minutesFromNow(1)
    const before = sendCalls()
    const [a, b] = await Promise.all([runScheduler(t, at), runScheduler(t, at)])
    expect(a.outbox.delivered + b.outbox.delivered).toBe(30)
    expect(sendCalls() - before).toBe(30)
    expect(await deliveries(titles)).toEqual(titles.map(() => 1))
  })

  it('parks messages as failed while DingTalk is down and delivers them after an admin retry', async () => {
    const titles = await writeMessages(2)
    await t.http('POST', '/dingtalk/__faults', { body: { path: ASYNC_SEND, status: 503, count: 1000 } })
    for (let run = 1; run <= MAX_ATTEMPTS; run++) await runScheduler(t, minutesFromNow(run * 60))
    expect(await deliveries(titles)).toEqual([0, 0])

    const { status, json: failed } = await t.http('GET', '/api/admin/outbox?status=failed', { token: admin })
    expect(status).toBe(200)
    const parked = failed.items.filter((m: { title: string }) => titles.includes(m.title))
    expect(parked).toHaveLength(2)
    expect(parked[0]).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS })
    expect(parked[0].lastError).toContain('503')

    await t.http('DELETE', '/dingtalk/__faults')
    for (const message of parked) {
      const retried = await t.http('POST', `/api/admin/outbox/${message.id}/retry`, { token: admin })
      expect(retried.status).toBe(200)
      expect(retried.json).toMatchObject({ status: 'pending', attempts: 0 })
    }
    await runScheduler(t, minutesFromNow(7 * 60))
    expect(await deliveries(titles)).toEqual([1, 1])
    const { json: after } = await t.http('GET', '/api/admin/outbox?status=failed', { token: admin })
    expect(after.items.filter((m: { title: string }) => titles.includes(m.title))).toHaveLength(0)
  })

  it('shows the failed messages to admins only', async () => {
    const { status } = await t.http('GET', '/api/admin/outbox?status=failed', { token: sales1 })
    expect(status).toBe(403)
  })
})
