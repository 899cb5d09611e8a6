import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'
import { runClock, runScheduler, todos, type EmulatedTodo } from './helpers.js'

const t = useStack()
const at = runClock()
let sales1: string
let customerId: string

beforeAll(async () => {
  await t.login('admin')
  sales1 = await t.login('sales1')
  await t.login('sales2')
  const created = await t.http('POST', '/api/customers', { token: sales1, body: { name: '宁波甬江机电' } })
  customerId = created.json.id
  await t.http('PUT', `/api/customers/${customerId}/collaborators`, {
    token: sales1,
    body: { collaboratorIds: ['sales2'] },
  })
  await runScheduler(t, at(1))
})

afterEach(async () => {
  await t.http('DELETE', '/dingtalk/__faults')
})

interface Reminder {
  id: string
  version: number
}

async function createReminder(body: Record<string, unknown>): Promise<Reminder> {
  const { status, json } = await t.http('POST', '/api/reminders', {
    token: sales1,
    body: { recordType: 'customer', recordId: customerId, assigneeIds: ['sales1'], ...body },
  })
  if (status !== 201) throw new Error(`create reminder: ${status} ${JSON.stringify(json)}`)
  return json
}

async function patch(reminder: Reminder, body: Record<string, unknown>): Promise<Reminder> {
  const { status, json } = await t.http('PATCH', `/api/reminders/${reminder.id}`, {
    token: sales1,
    body: { version: reminder.version, ...body },
  })
  if (status !== 200) throw new Error(`patch reminder: ${status} ${JSON.stringify(json)}`)
  return json
}

/** the reminder's to-dos, oldest first */
const todosOf = async (reminder: Reminder): Promise<EmulatedTodo[]> =>
  (await todos(t)).filter((task) => task.sourceId.startsWith(`crm.rem.${reminder.id}.`)).reverse()

describe("a reminder's DingTalk to-do", () => {
  it('gives each assignee a to-do due at the due time that opens the record, done when the reminder is', async () => {
    const dueAt = at(2 * 24 * 60)
    const reminder = await createReminder({ title: '送样品', dueAt, assigneeIds: ['sales1', 'sales2'] })
    await runScheduler(t, at(1))
    const [task] = await todosOf(reminder)
    expect(task).toMatchObject({
      subject: '任务提醒：送样品',
      dueAt,
      done: false,
      executors: ['sales1', 'sales2'],
    })
    expect(decodeURIComponent(task.detailUrl.appUrl!)).toContain('page=pages/customer/detail?')
    expect(decodeURIComponent(task.detailUrl.appUrl!)).toContain(`id=${customerId}`)
    expect(task.detailUrl.pcUrl).toMatch(new RegExp(`/customers/${customerId}$`))
    expect((await todos(t, 'sales2')).map((m) => m.id)).toContain(task.id)

    await patch(reminder, { status: 'done' })
    await runScheduler(t, at(2))
    expect(await todosOf(reminder)).toMatchObject([{ id: task.id, done: true }])
  })

  it('moves the to-do when the reminder is rescheduled', async () => {
    const reminder = await createReminder({ title: '改期', dueAt: at(24 * 60) })
    await runScheduler(t, at(1))
    const later = at(5 * 24 * 60)
    await patch(reminder, { dueAt: later })
    await runScheduler(t, at(2))
    expect(await todosOf(reminder)).toMatchObject([{ dueAt: later, done: false }])
  })

  it('closes the to-do when the reminder is cancelled, and when it is deleted', async () => {
    const cancelled = await createReminder({ title: '取消', dueAt: at(24 * 60) })
    const deleted = await createReminder({ title: '删除', dueAt: at(24 * 60) })
    await runScheduler(t, at(1))
    await patch(cancelled, { status: 'cancelled' })
    expect((await t.http('DELETE', `/api/reminders/${deleted.id}`, { token: sales1 })).status).toBe(204)
    await runScheduler(t, at(2))
    expect(await todosOf(cancelled)).toMatchObject([{ done: true }])
    expect(await todosOf(deleted)).toMatchObject([{ done: true }])
  })

  it('gives a repeating reminder a fresh to-do for the next occurrence when a card goes out', async () => {
    const first = at(60)
    const reminder = await createReminder({ title: '每日晨会', dueAt: first, repeat: 'daily' })
    await runScheduler(t, at(1))
    expect(await todosOf(reminder)).toMatchObject([{ dueAt: first, done: false }])
    await runScheduler(t, at(61)) // the card goes out, the series moves to tomorrow
    await runScheduler(t, at(62))
    const [today, tomorrow] = await todosOf(reminder)
    expect(today).toMatchObject({ dueAt: first, done: false })
    expect(tomorrow).toMatchObject({
      dueAt: new Date(Date.parse(first) + 86_400_000).toISOString(),
      done: false,
    })
  })

  it('gives each reminder exactly one to-do under 20 % failures and throttling with overlapping runs', async () => {
    const reminders: Reminder[] = []
    for (let i = 0; i < 10; i++)
      reminders.push(await createReminder({ title: `批量 ${i}`, dueAt: at(24 * 60) }))
    const faults = [
      { status: 503, every: 10, phase: 0 },
      { status: 400, errcode: 'todo.taskCreate.flowControlError', every: 10, phase: 5 },
    ]
    for (const fault of faults) {
      await t.http('POST', '/dingtalk/__faults', {
        body: { path: '/v1.0/todo/users/*', count: 1000, ...fault },
      })
    }
    await Promise.all([runScheduler(t, at(1)), runScheduler(t, at(1))])
    for (const reminder of reminders.slice(0, 5)) await patch(reminder, { status: 'done' })
    await Promise.all([runScheduler(t, at(2)), runScheduler(t, at(2))])
    for (let minutes = 30; minutes <= 180; minutes += 30) await runScheduler(t, at(minutes))
    const found = await Promise.all(reminders.map(todosOf))
    expect(found.map((tasks) => tasks.length)).toEqual(reminders.map(() => 1))
    expect(found.map((tasks) => tasks[0].done)).toEqual(reminders.map((_, i) => i < 5))
  })
})
