import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { ddbUsage, useStack } from '../helpers/stack.js'

const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['admin', 'mgr1']) tokens[user] = await t.login(user)
})

/** A member of 销售一部 with a list of their own (each test its own person, so lists do not mix). */
async function member(userId: string) {
  tokens[userId] = await t.token({ tenantId: DEMO_CORP_ID, userId, deptIds: ['201'] })
  return as(userId)
}

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
})

type Page = {
  items: { id: string; name: string; lastFollowUpAt: string | null }[]
  nextCursor: string | null
}

const followUp = (user: string, customerId: string, followedAt: string) =>
  as(user).post('/api/followups', { customerId, method: 'phone', content: '电话沟通', followedAt })

/** Customers named by their last follow-up day (`null`: never followed up), created in this order. */
async function customersFollowedUpOn(user: string, days: (string | null)[]) {
  const created: Record<string, string> = {}
  for (const [i, day] of days.entries()) {
    const name = `${user}-${i}-${day ?? '未跟进'}`
    const { json } = await as(user).post('/api/customers', { name })
    created[name] = json.id
    if (day) await followUp(user, json.id, `${day}T10:00:00+08:00`)
  }
  return created
}

const names = (page: Page) => page.items.map((c) => c.name)

describe('customers by last follow-up', () => {
  it('lists the latest followed-up first and the never followed-up last, with the total, in one Query', async () => {
    await member('sorter1')
    await customersFollowedUpOn('sorter1', ['2026-03-02', null, '2026-03-09', '2026-03-05'])
    const res = await as('sorter1').get('/api/customers?sort=lastFollowUpAt')
    expect(ddbUsage(res.headers).calls).toBe(1)
    expect(names(res.json)).toEqual([
      'sorter1-2-2026-03-09',
      'sorter1-3-2026-03-05',
      'sorter1-0-2026-03-02',
      'sorter1-1-未跟进',
    ])
    expect(res.json.total).toBe(4)
  })

  it('keeps the creation order as the default sort', async () => {
    await member('sorter2')
    await customersFollowedUpOn('sorter2', ['2026-03-09', '2026-03-02'])
    const { json } = await as('sorter2').get('/api/customers')
    expect(names(json)).toEqual(['sorter2-1-2026-03-02', 'sorter2-0-2026-03-09'])
  })

  it('pages through the follow-up order by keyset, each customer once, each page one Query', async () => {
    await member('sorter3')
    const days = ['2026-01-05', '2026-01-01', null, '2026-01-04', '2026-01-02', null, '2026-01-03']
    await customersFollowedUpOn('sorter3', days)
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const res = await as('sorter3').get(
        `/api/customers?sort=lastFollowUpAt&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      )
      expect(ddbUsage(res.headers).calls).toBe(1)
      expect(res.json.items.length).toBeLessThanOrEqual(2)
      seen.push(...names(res.json))
      cursor = res.json.nextCursor
    } while (cursor)
    expect(seen.slice(0, 5)).toEqual([
      'sorter3-0-2026-01-05',
      'sorter3-3-2026-01-04',
      'sorter3-6-2026-01-03',
      'sorter3-4-2026-01-02',
      'sorter3-1-2026-01-01',
    ])
    expect(seen.slice(5).sort()).toEqual(['sorter3-2-未跟进', 'sorter3-5-未跟进'])
  })

  it('moves a customer to the head of the order with the follow-up that makes it the latest', async () => {
    await member('sorter4')
    const ids = await customersFollowedUpOn('sorter4', ['2026-02-01', '2026-02-02'])
    await followUp('sorter4', ids['sorter4-0-2026-02-01'], '2026-02-10T09:00:00+08:00')
    const { json } = await as('sorter4').get('/api/customers?sort=lastFollowUpAt')
    expect(json.items[0]).toMatchObject({ id: ids['sorter4-0-2026-02-01'] })
    expect(json.items[0].lastFollowUpAt).toBe('2026-02-10T01:00:00.000Z')
  })

  it('reads a last-follow-up range as a key range of the order (no total: it is filtered)', async () => {
    await member('sorter5')
    await customersFollowedUpOn('sorter5', ['2026-04-01', '2026-04-03', null, '2026-04-05', '2026-04-07'])
    const { json } = await as('sorter5').get(
      '/api/customers?sort=lastFollowUpAt&lastFollowUpFrom=2026-04-03&lastFollowUpTo=2026-04-05',
    )
    expect(names(json)).toEqual(['sorter5-3-2026-04-05', 'sorter5-1-2026-04-03'])
    expect(json.total).toBeNull()
    const since = await as('sorter5').get('/api/customers?sort=lastFollowUpAt&lastFollowUpFrom=2026-04-05')
    expect(names(since.json)).toEqual(['sorter5-4-2026-04-07', 'sorter5-3-2026-04-05'])
  })

  it('sorts the department (manager), all customers (admin) and the pool the same way', async () => {
    await member('sorter6')
    const ids = await customersFollowedUpOn('sorter6', ['2030-01-02', '2030-01-01'])
    const first = ids['sorter6-0-2030-01-02']
    for (const user of ['mgr1', 'admin']) {
      const res = await as(user).get('/api/customers?sort=lastFollowUpAt&limit=2')
      expect(ddbUsage(res.headers).calls).toBe(1)
      expect(res.json.items.map((c: { id: string }) => c.id)).toEqual([first, ids['sorter6-1-2030-01-01']])
      expect(res.json.total).toBeGreaterThanOrEqual(2)
    }
    const pooled = (await as('mgr1').post('/api/pool', { name: '公海跟进排序' })).json
    await followUp('mgr1', pooled.id, '2031-01-01T00:00:00+08:00')
    const pool = await as('mgr1').get('/api/pool?sort=lastFollowUpAt&limit=1')
    expect(pool.json.items[0].id).toBe(pooled.id)
  })

  it('shows what a contract wrote on the customer (won amount) in the follow-up order at once', async () => {
    const sorter = await member('sorter7')
    const { json: c } = await sorter.post('/api/customers', { name: '成交排序客户' })
    const contract = await sorter.post('/api/contracts', {
      number: 'SORT-001',
      name: '排序合同',
      customerId: c.id,
      amount: 1234.5,
      signedAt: '2026-05-01',
    })
    expect(contract.status).toBe(201)
    const { json } = await sorter.get('/api/customers?sort=lastFollowUpAt')
    expect(json.items[0]).toMatchObject({ id: c.id, wonAmount: 1234.5, version: 2 })
  })

  it('refuses a cursor of the creation order on the follow-up order (400), rather than read a foreign key', async () => {
    const sorter = await member('sorter8')
    await customersFollowedUpOn('sorter8', [null, null, null])
    const { json } = await sorter.get('/api/customers?limit=1')
    const res = await sorter.get(`/api/customers?sort=lastFollowUpAt&limit=1&cursor=${json.nextCursor}`)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('validation.failed')
  })
})
