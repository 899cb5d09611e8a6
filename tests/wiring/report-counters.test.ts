import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setClock } from '../../functions/core/clock.js'
import { useStack } from '../helpers/stack.js'

/**
 * 新增客户 and 跟进 in the reports: the life-cycle writes move the report counters in their own
 * transactions (create, delete, restore, owner change, merge), and the briefing and the performance
 * ranking read them for each role's scope.
 */
const t = useStack()
const tokens: Record<string, string> = {}
const DAY = '2027-01-15'

beforeAll(async () => {
  // the server runs in this process: its clock is this one (sessions too, so log in after)
  setClock(() => Date.parse(`${DAY}T10:00:00+08:00`))
  for (const user of ['admin', 'mgr1', 'sales1', 'sales2', 'sales3']) tokens[user] = await t.login(user)
})
afterAll(() => setClock(undefined))

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  delete: (path: string) => t.http('DELETE', path, { token: tokens[user] }),
})

async function created(user: string, path: string, body: unknown) {
  const res = await as(user).post(path, body)
  expect(res.status, res.text).toBe(201)
  return res.json as { id: string }
}

const followUp = (customerId: string) => ({
  customerId,
  method: 'phone',
  content: '电话沟通',
  followedAt: `${DAY}T09:00:00+08:00`,
})

/** newCustomers and followUps of the day, as each user's briefing shows them. */
async function briefings() {
  const figures: Record<string, [number, number]> = {}
  for (const user of ['admin', 'mgr1', 'sales1', 'sales2', 'sales3']) {
    const { status, json } = await as(user).get(`/api/reports/briefing?from=${DAY}&to=${DAY}`)
    expect(status).toBe(200)
    figures[user] = [json.newCustomers, json.followUps]
  }
  return figures
}

describe('new customers and follow-ups in the reports', () => {
  let a: { id: string }
  let b: { id: string }
  let followUpOnB: { id: string }

  it('counts creations and follow-ups for the member, their manager and the admin', async () => {
    a = await created('sales1', '/api/customers', { name: '计数客户甲' })
    b = await created('sales1', '/api/customers', { name: '计数客户乙' })
    await created('sales1', '/api/followups', followUp(a.id))
    followUpOnB = await created('sales1', '/api/followups', followUp(b.id))
    const c = await created('sales3', '/api/customers', { name: '计数客户丙' })
    await created('sales3', '/api/followups', followUp(c.id))
    await created('mgr1', '/api/pool', { name: '公海计数客户' })

    expect(await briefings()).toEqual({
      admin: [4, 3],
      mgr1: [2, 2], // 销售一部: sales1's; the pool customer has no department
      sales1: [2, 2],
      sales2: [0, 0],
      sales3: [1, 1],
    })
  })

  it('moves a customer’s count with its owner on release and claim', async () => {
    expect((await as('sales1').post(`/api/customers/${b.id}/release`, { reason: '不再跟进' })).status).toBe(
      200,
    )
    expect((await briefings()).sales1).toEqual([1, 2]) // the follow-up stays its author's
    expect((await as('sales3').post(`/api/customers/${b.id}/claim`)).status).toBe(200)
    const figures = await briefings()
    expect(figures.sales3).toEqual([2, 1])
    expect(figures.mgr1).toEqual([1, 2])
    expect(figures.admin).toEqual([4, 3])
  })

  it('takes deleted follow-ups and customers out and puts restored ones back', async () => {
    // b is sales3's now: the admin deletes sales1's follow-up on it
    expect((await as('admin').delete(`/api/followups/${followUpOnB.id}`)).status).toBe(204)
    expect((await as('sales1').delete(`/api/customers/${a.id}`)).status).toBe(204)
    let figures = await briefings()
    expect(figures.sales1).toEqual([0, 1])
    expect(figures.admin).toEqual([3, 2])

    await as('admin').post(`/api/recycle-bin/followups/${followUpOnB.id}/restore`)
    await as('admin').post(`/api/recycle-bin/customers/${a.id}/restore`)
    figures = await briefings()
    expect(figures.sales1).toEqual([1, 2])
    expect(figures.admin).toEqual([4, 3])
  })

  it('counts a merged customer once: the source leaves, its follow-ups stay counted', async () => {
    const d = await created('sales1', '/api/customers', { name: '计数客户丁' })
    await created('sales1', '/api/followups', followUp(d.id))
    expect((await briefings()).sales1).toEqual([2, 3])
    const merged = await as('sales1').post('/api/customers/merge', { targetId: a.id, sourceIds: [d.id] })
    expect(merged.status).toBe(200)
    const figures = await briefings()
    expect(figures.sales1).toEqual([1, 3])
    expect(figures.admin).toEqual([4, 4])
  })

  it('ranks people by the same counts in the performance report', async () => {
    const { json } = await as('admin').get(`/api/reports/performance?from=${DAY}&to=${DAY}&groupBy=user`)
    const row = (id: string) => json.rows.find((r: { id: string }) => r.id === id)
    expect(row('sales1')).toMatchObject({ newCustomers: 1, followUps: 3 })
    expect(row('sales3')).toMatchObject({ newCustomers: 2, followUps: 1 })
    const depts = await as('mgr1').get(`/api/reports/performance?from=${DAY}&to=${DAY}&groupBy=dept`)
    expect(depts.json.rows.find((r: { id: string }) => r.id === '201')).toMatchObject({
      newCustomers: 1,
      followUps: 3,
    })
  })
})
