import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'
import { delivered, linkingTo, runScheduler } from './helpers.js'

const t = useStack()
let sales1: string
let sales2: string
let mkt1: string
/** sales1's customer, on which sales2 assists: both may be reminded about it */
let customerId: string

beforeAll(async () => {
  sales1 = await t.login('sales1')
  sales2 = await t.login('sales2')
  mkt1 = await t.login('mkt1')
  const created = await t.http('POST', '/api/customers', { token: sales1, body: { name: '杭州云栖科技' } })
  customerId = created.json.id
  const shared = await t.http('PUT', `/api/customers/${customerId}/collaborators`, {
    token: sales1,
    body: { collaboratorIds: ['sales2'] },
  })
  expect(shared.status, shared.text).toBe(200)
})

const createReminder = async (body: Record<string, unknown>, token = sales1) => {
  const { status, json } = await t.http('POST', '/api/reminders', {
    token,
    body: { recordType: 'customer', recordId: customerId, ...body },
  })
  if (status !== 201) throw new Error(`create reminder: ${status} ${JSON.stringify(json)}`)
  return json as { id: string; version: number; dueAt: string; fireAt?: string; status: string }
}

const cardsFor = async (reminderId: string) => linkingTo(await delivered(t), `reminderId=${reminderId}`)

describe('reminders (任务提醒) fired by the scheduler', () => {
  it('sends a one-off reminder once, at its minute in Asia/Shanghai', async () => {
    const reminder = await createReminder({
      title: '回访客户',
      content: '确认报价单',
      assigneeIds: ['sales2'],
      dueAt: '2026-12-01T09:00:00+08:00',
    })
    await runScheduler(t, '2026-12-01T08:59:00+08:00')
    expect(await cardsFor(reminder.id)).toHaveLength(0)
    await runScheduler(t, '2026-12-01T09:00:00+08:00')
    await runScheduler(t, '2026-12-01T09:01:00+08:00')
    const cards = await cardsFor(reminder.id)
    expect(cards).toHaveLength(1)
    expect(cards[0]).toMatchObject({ kind: 'work_notification', to: { userIds: ['sales2'] } })
    expect(cards[0].title).toBe('任务提醒：回访客户')
    expect(cards[0].text).toContain('截止时间：2026-12-01 09:00')
    expect(cards[0].text).toContain('杭州云栖科技')
    expect(decodeURIComponent(cards[0].links[0])).toContain(`page=pages/customer/detail?id=${customerId}`)
    const { json } = await t.http('GET', `/api/reminders/${reminder.id}`, { token: sales1 })
    expect(json).toMatchObject({ status: 'sent', sentCount: 1 })
    expect(json.fireAt).toBeUndefined()
  })

  it('sends the card remindBeforeMinutes before the due time', async () => {
    const reminder = await createReminder({
      title: '提前半小时',
      assigneeIds: ['sales1'],
      dueAt: '2026-12-01T11:00:00+08:00',
      remindBeforeMinutes: 30,
    })
    await runScheduler(t, '2026-12-01T10:29:00+08:00')
    expect(await cardsFor(reminder.id)).toHaveLength(0)
    await runScheduler(t, '2026-12-01T10:30:00+08:00')
    expect(await cardsFor(reminder.id)).toHaveLength(1)
  })

  it('sends a weekly reminder again on the same weekday of the next week, not before', async () => {
    const reminder = await createReminder({
      title: '周例会准备',
      assigneeIds: ['sales1', 'sales2'],
      dueAt: '2026-12-02T10:00:00+08:00',
      repeat: 'weekly',
    })
    await runScheduler(t, '2026-12-02T10:00:00+08:00')
    expect(await cardsFor(reminder.id)).toHaveLength(1)
    const { json: after } = await t.http('GET', `/api/reminders/${reminder.id}`, { token: sales1 })
    expect(after).toMatchObject({ status: 'sent', dueAt: '2026-12-09T02:00:00.000Z' })
    await runScheduler(t, '2026-12-08T10:00:00+08:00')
    expect(await cardsFor(reminder.id)).toHaveLength(1)
    await runScheduler(t, '2026-12-09T10:00:00+08:00')
    const cards = await cardsFor(reminder.id)
    expect(cards).toHaveLength(2)
    expect(cards[1].text).toContain('截止时间：2026-12-09 10:00')
  })

  it('never sends a cancelled reminder', async () => {
    const reminder = await createReminder({
      title: '取消的提醒',
      assigneeIds: ['sales2'],
      dueAt: '2026-12-03T09:00:00+08:00',
      repeat: 'daily',
    })
    const { status, json } = await t.http('PATCH', `/api/reminders/${reminder.id}`, {
      token: sales1,
      body: { status: 'cancelled', version: reminder.version },
    })
    expect(status).toBe(200)
    expect(json.fireAt).toBeUndefined()
    await runScheduler(t, '2026-12-03T09:00:00+08:00')
    await runScheduler(t, '2026-12-04T09:00:00+08:00')
    expect(await cardsFor(reminder.id)).toHaveLength(0)
  })

  it('reschedules when the due time is edited', async () => {
    const reminder = await createReminder({
      title: '改期的提醒',
      assigneeIds: ['sales2'],
      dueAt: '2026-12-04T09:00:00+08:00',
    })
    const { json } = await t.http('PATCH', `/api/reminders/${reminder.id}`, {
      token: sales1,
      body: { dueAt: '2026-12-04T15:00:00+08:00', version: reminder.version },
    })
    expect(json).toMatchObject({ status: 'pending', fireAt: '2026-12-04T07:00:00.000Z' })
    await runScheduler(t, '2026-12-04T09:00:00+08:00')
    expect(await cardsFor(reminder.id)).toHaveLength(0)
    await runScheduler(t, '2026-12-04T15:00:00+08:00')
    expect(await cardsFor(reminder.id)).toHaveLength(1)
  })

  it('catches up after an outage with one card per reminder and schedules the next occurrence', async () => {
    const reminder = await createReminder({
      title: '每日站会',
      assigneeIds: ['sales2'],
      dueAt: '2026-12-05T09:00:00+08:00',
      repeat: 'daily',
    })
    // the function was down from before the 5th until noon on the 7th: three occurrences missed
    await runScheduler(t, '2026-12-07T12:00:00+08:00')
    await runScheduler(t, '2026-12-07T12:01:00+08:00')
    expect(await cardsFor(reminder.id)).toHaveLength(1)
    const { json } = await t.http('GET', `/api/reminders/${reminder.id}`, { token: sales1 })
    expect(json.fireAt).toBe('2026-12-08T01:00:00.000Z')
  })

  it('stops a repeating reminder after repeatUntil', async () => {
    const reminder = await createReminder({
      title: '两次就停',
      assigneeIds: ['sales2'],
      dueAt: '2026-12-10T09:00:00+08:00',
      repeat: 'daily',
      repeatUntil: '2026-12-11T23:59:00+08:00',
    })
    for (const day of ['10', '11', '12', '13']) await runScheduler(t, `2026-12-${day}T09:00:00+08:00`)
    expect(await cardsFor(reminder.id)).toHaveLength(2)
  })

  it('lists "my reminders" for the assignee and hides a reminder from people it does not concern', async () => {
    const reminder = await createReminder({
      title: '只给 sales2',
      assigneeIds: ['sales2'],
      dueAt: '2027-01-05T09:00:00+08:00',
    })
    const { json: mine } = await t.http('GET', '/api/reminders?mine=true&limit=200', { token: sales2 })
    expect(mine.items.map((r: { id: string }) => r.id)).toContain(reminder.id)
    const { json: mktList } = await t.http('GET', '/api/reminders?limit=200', { token: mkt1 })
    expect(mktList.items.map((r: { id: string }) => r.id)).not.toContain(reminder.id)
    const { status, json } = await t.http('GET', `/api/reminders/${reminder.id}`, { token: mkt1 })
    expect(status).toBe(404)
    expect(json.error.code).toBe('reminder.not_found')
  })

  it('rejects a reminder without assignees with a Chinese message', async () => {
    const { status, json } = await t.http('POST', '/api/reminders', {
      token: sales1,
      body: {
        recordType: 'lead',
        recordId: 'L1',
        title: '无人',
        assigneeIds: [],
        dueAt: '2027-01-01T09:00:00+08:00',
      },
    })
    expect(status).toBe(400)
    expect(json.error).toMatchObject({
      code: 'validation.failed',
      message: expect.stringContaining('提醒对象'),
    })
  })
})

describe('reminders under overlapping scheduler runs', () => {
  it('sends one card per reminder when two runs fire the same due reminders', async () => {
    const reminders = []
    for (let i = 0; i < 12; i++) {
      reminders.push(
        await createReminder({
          title: `并发 ${i}`,
          assigneeIds: ['sales2'],
          dueAt: '2026-12-20T09:00:00+08:00',
        }),
      )
    }
    // a run a minute earlier renews the access token for that date (a renewal repeats a call)
    await runScheduler(t, '2026-12-20T08:59:00+08:00')
    const before = t.stack.emulator.calls('/topapi/message/corpconversation/asyncsend_v2')
    const [a, b] = await Promise.all([
      runScheduler(t, '2026-12-20T09:00:00+08:00'),
      runScheduler(t, '2026-12-20T09:00:00+08:00'),
    ])
    // (the repeating reminders of the tests above are due too, and fire once each as well)
    const fired = a.reminders.fired + b.reminders.fired
    expect(a.reminders.skipped + b.reminders.skipped).toBeGreaterThan(0)
    expect(fired).toBeGreaterThanOrEqual(12)
    const deliveredByRuns = a.outbox.delivered + b.outbox.delivered
    expect(t.stack.emulator.calls('/topapi/message/corpconversation/asyncsend_v2') - before).toBe(
      deliveredByRuns,
    )
    for (const reminder of reminders) {
      const { json } = await t.http('GET', `/api/reminders/${reminder.id}`, { token: sales1 })
      expect(json.sentCount).toBe(1)
      expect(await cardsFor(reminder.id)).toHaveLength(1)
    }
  })
})
