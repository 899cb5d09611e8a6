import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { randomUUID } from 'node:crypto'
import { commit } from '../../functions/db/commit.js'
import { todoCreate, todoDone, todoMove } from '../../functions/domain/notifications/todos.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'
import { runClock, runScheduler, todos } from './helpers.js'

const t = useStack()
const at = runClock()
const tenantId = DEMO_CORP_ID
const TODO_PATHS = '/v1.0/todo/users/*'

beforeAll(async () => {
  await t.login('admin') // registers the tenant for the scheduler
  await t.login('sales1')
  await runScheduler(t, at(1)) // what the demo seed queued goes first
})

afterEach(async () => {
  await t.http('DELETE', '/dingtalk/__faults')
})

const link = (id: string) => ({ page: 'pages/lead/detail', query: { id } })
const newSource = () => `test.${randomUUID().slice(0, 8)}`
const bySource = (sourceId: string) => async () =>
  (await todos(t)).filter((task) => task.sourceId === `crm.${sourceId}`)

describe('DingTalk to-dos through the outbox (todos.ts)', () => {
  it('creates one to-do for the executors with its due time and a link to the record', async () => {
    const sourceId = newSource()
    const dueAt = at(24 * 60)
    await commit(
      todoCreate({
        tenantId,
        sourceId,
        userIds: ['sales1', 'sales2'],
        subject: '回访客户',
        dueAt,
        link: link('L1'),
      }),
    )
    await runScheduler(t, at(1))
    await runScheduler(t, at(2))
    const found = await bySource(sourceId)()
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({
      subject: '回访客户',
      done: false,
      dueAt,
      executors: ['sales1', 'sales2'],
    })
    expect(decodeURIComponent(found[0].detailUrl.appUrl!)).toContain('page=pages/lead/detail?id=L1')
    expect(found[0].detailUrl.pcUrl).toMatch(/\/leads\/L1$/)
    expect((await todos(t, 'sales2')).some((task) => task.sourceId === `crm.${sourceId}`)).toBe(true)
  })

  it('moves and then ticks off the same task', async () => {
    const sourceId = newSource()
    await commit(
      todoCreate({
        tenantId,
        sourceId,
        userIds: ['sales1'],
        subject: '报价',
        dueAt: at(60),
        link: link('L2'),
      }),
    )
    await runScheduler(t, at(1))
    const later = at(3 * 24 * 60)
    await commit(todoMove({ tenantId, sourceId, dueAt: later }))
    await runScheduler(t, at(2))
    expect(await bySource(sourceId)()).toMatchObject([{ dueAt: later, done: false }])
    await commit(todoDone({ tenantId, sourceId }))
    await runScheduler(t, at(3))
    expect(await bySource(sourceId)()).toMatchObject([{ dueAt: later, done: true }])
  })

  it('creates nothing for a to-do done before it was ever delivered', async () => {
    const sourceId = newSource()
    await commit(todoCreate({ tenantId, sourceId, userIds: ['sales1'], subject: '作废', link: link('L3') }))
    await commit(todoDone({ tenantId, sourceId }))
    await runScheduler(t, at(1))
    expect(await bySource(sourceId)()).toEqual([])
  })

  it('does not duplicate a create retried after its answer was lost', async () => {
    const sourceId = newSource()
    await commit(todoCreate({ tenantId, sourceId, userIds: ['sales1'], subject: '签约', link: link('L4') }))
    // the create lands, the answer is lost (504): the retry meets "task exist" and finds the task
    await t.http('POST', '/dingtalk/__faults', {
      body: { path: TODO_PATHS, status: 504, count: 1, after: true },
    })
    await runScheduler(t, at(1))
    await commit(todoDone({ tenantId, sourceId }))
    await runScheduler(t, at(2))
    expect(await bySource(sourceId)()).toMatchObject([{ subject: '签约', done: true }])
  })

  it('delivers every to-do exactly once under 20 % failures and throttling with two overlapping runs', async () => {
    const sources = Array.from({ length: 20 }, newSource)
    for (let i = 0; i < sources.length; i += 10) {
      await commit(
        sources.slice(i, i + 10).flatMap((sourceId, j) =>
          todoCreate({
            tenantId,
            sourceId,
            userIds: ['sales1'],
            subject: `待办 ${i + j}`,
            link: link(sourceId),
          }),
        ),
      )
    }
    // one call in ten fails with a 503, another in ten is throttled (DingTalk's flow control), one in
    // ten lands and loses its answer
    const faults = [
      { status: 503, every: 10, phase: 0 },
      { status: 400, errcode: 'todo.taskCreate.flowControlError', every: 10, phase: 5 },
      { status: 504, after: true, every: 10, phase: 2 },
    ]
    for (const fault of faults) {
      await t.http('POST', '/dingtalk/__faults', { body: { path: TODO_PATHS, count: 1000, ...fault } })
    }
    await Promise.all([runScheduler(t, at(1)), runScheduler(t, at(1))])
    // the retried creates land before half of the to-dos are ticked off: one done before it was ever
    // delivered creates nothing (the test above), and which creates fail first depends on the runs' order
    for (let minutes = 30; minutes <= 120; minutes += 30) await runScheduler(t, at(minutes))
    await commit(sources.slice(0, 10).flatMap((sourceId) => todoDone({ tenantId, sourceId })))
    await Promise.all([runScheduler(t, at(121)), runScheduler(t, at(121))])
    for (let minutes = 150; minutes <= 360; minutes += 30) await runScheduler(t, at(minutes))

    const all = await todos(t)
    const tasks = sources.map((sourceId) => all.filter((task) => task.sourceId === `crm.${sourceId}`))
    expect(tasks.map((found) => found.length)).toEqual(sources.map(() => 1))
    expect(tasks.map((found) => found[0].done)).toEqual(sources.map((_, i) => i < 10))
  })
})
