import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { now, runningFrom, setClock } from '../../functions/core/clock.js'
import type { Session } from '../../functions/core/context.js'
import { recycleDueCustomers, releaseCustomer } from '../../functions/domain/customers/index.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { ddbUsage, useStack } from '../helpers/stack.js'
import { forgetSettings } from '../../functions/core/settings-cache.js'

const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['admin', 'mgr1', 'sales1', 'sales2', 'sales3', 'mkt1'])
    tokens[user] = await t.login(user)
})
afterEach(() => setClock(undefined))

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  put: (path: string, body: unknown) => t.http('PUT', path, { token: tokens[user], body }),
})

const sales2Session: Session = {
  tenantId: DEMO_CORP_ID,
  userId: 'sales2',
  name: '郑纬祺',
  role: 'member',
  deptIds: ['201'],
  scopeDeptIds: [],
}

const poolCustomer = async (name: string) => (await as('mgr1').post('/api/pool', { name })).json

async function setRules(rules: Record<string, unknown>) {
  const current = (await as('admin').get('/api/settings/pool')).json
  const { status, json } = await as('admin').put('/api/settings/pool', { ...current, ...rules })
  expect(status).toBe(200)
  return json
}

describe('the public pool', () => {
  it('creates a customer into the pool with no owner, listed in the pool for everyone', async () => {
    const created = await poolCustomer('公海一号')
    expect(created).toMatchObject({ ownerId: null, deptId: null })
    expect(created.poolEnteredAt).toBeTruthy()
    const { json } = await as('sales3').get('/api/pool?limit=200')
    expect(json.items.map((c: { id: string }) => c.id)).toContain(created.id)
  })

  it('lets any member see a pool customer', async () => {
    const created = await poolCustomer('公海可见')
    expect((await as('sales3').get(`/api/customers/${created.id}`)).status).toBe(200)
  })

  it('gives a racing claim to exactly one of 20 members; the others get 409 pool.already_claimed', async () => {
    const created = await poolCustomer('抢单客户')
    const racers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.token({ tenantId: DEMO_CORP_ID, userId: `racer${i}`, deptIds: ['201'] }),
      ),
    )
    const results = await Promise.all(
      racers.map((token) => t.http('POST', `/api/customers/${created.id}/claim`, { token })),
    )
    const winners = results.filter((r) => r.status === 200)
    const losers = results.filter((r) => r.status === 409)
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(409)])
    expect(winners).toHaveLength(1)
    expect(losers).toHaveLength(19)
    expect(losers.every((r) => r.json.error.code === 'pool.already_claimed')).toBe(true)
    const { json } = await as('admin').get(`/api/customers/${created.id}`)
    expect(json.ownerId).toBe(winners[0].json.ownerId)
    expect(json.version).toBe(2)
  })

  it('keeps the pool and owner counts right through a claim race', async () => {
    const before = (await as('sales1').get('/api/pool?limit=1')).json.total
    const created = await poolCustomer('计数抢单')
    const mine = (await as('sales2').get('/api/customers?limit=1')).json.total
    await Promise.all([
      as('sales2').post(`/api/customers/${created.id}/claim`),
      as('sales1').post(`/api/customers/${created.id}/claim`),
      as('mkt1').post(`/api/customers/${created.id}/claim`),
    ])
    expect((await as('sales1').get('/api/pool?limit=1')).json.total).toBe(before)
    const owner = (await as('admin').get(`/api/customers/${created.id}`)).json.ownerId
    if (owner === 'sales2')
      expect((await as('sales2').get('/api/customers?limit=1')).json.total).toBe(mine + 1)
  })

  it('releases with a reason: owner cleared, previous owner and pool entry time kept', async () => {
    const { json: c } = await as('sales1').post('/api/customers', { name: '要退回的' })
    const { status, json } = await as('sales1').post(`/api/customers/${c.id}/release`, { reason: '无意向' })
    expect(status).toBe(200)
    expect(json).toMatchObject({
      ownerId: null,
      deptId: null,
      prevOwnerId: 'sales1',
      releaseReason: '无意向',
    })
    expect(json.poolEnteredAt).toBeTruthy()
    expect((await as('sales1').post(`/api/customers/${c.id}/release`, { reason: '再退' })).status).toBe(409)
  })

  it('refuses a release without a reason', async () => {
    const { json: c } = await as('sales1').post('/api/customers', { name: '无理由' })
    const { status, json } = await as('sales1').post(`/api/customers/${c.id}/release`, {})
    expect(status).toBe(400)
    expect(json.error.code).toBe('validation.failed')
  })

  it('lets a manager assign a pool customer to a member, who is told in DingTalk', async () => {
    const created = await poolCustomer('经理分配')
    const { status, json } = await as('mgr1').post(`/api/customers/${created.id}/assign`, {
      ownerId: 'sales2',
    })
    expect(status).toBe(200)
    expect(json).toMatchObject({ ownerId: 'sales2', deptId: '201', poolEnteredAt: null })
  })

  it('forbids a member to assign (403) and a member to edit a pool customer (403)', async () => {
    const created = await poolCustomer('成员越权')
    expect(
      (await as('sales1').post(`/api/customers/${created.id}/assign`, { ownerId: 'sales1' })).status,
    ).toBe(403)
    const patch = await t.http('PATCH', `/api/customers/${created.id}`, {
      token: tokens.sales1,
      body: { name: '改名', version: 1 },
    })
    expect(patch.status).toBe(403)
  })
})

describe('pool rules', () => {
  it('lets only an admin change the rules', async () => {
    const current = (await as('mgr1').get('/api/settings/pool')).json
    expect((await as('mgr1').put('/api/settings/pool', current)).status).toBe(403)
  })

  it('stops claims beyond the daily limit with 422 pool.claim_limit_reached', async () => {
    await setRules({ dailyClaimLimit: 2 })
    const ids = [
      (await poolCustomer('限额1')).id,
      (await poolCustomer('限额2')).id,
      (await poolCustomer('限额3')).id,
    ]
    expect((await as('sales3').post(`/api/customers/${ids[0]}/claim`)).status).toBe(200)
    expect((await as('sales3').post(`/api/customers/${ids[1]}/claim`)).status).toBe(200)
    const third = await as('sales3').post(`/api/customers/${ids[2]}/claim`)
    expect(third.status).toBe(422)
    expect(third.json.error.code).toBe('pool.claim_limit_reached')
    expect((await as('admin').get(`/api/customers/${ids[2]}`)).json.ownerId).toBeNull()
    await setRules({ dailyClaimLimit: null })
  })

  it('stops claims beyond the holding cap with 422 pool.holding_cap_reached', async () => {
    const held = (await as('mkt1').get('/api/customers?limit=1')).json.total
    await setRules({ holdingCap: held + 1 })
    const a = await poolCustomer('上限1')
    const b = await poolCustomer('上限2')
    expect((await as('mkt1').post(`/api/customers/${a.id}/claim`)).status).toBe(200)
    const second = await as('mkt1').post(`/api/customers/${b.id}/claim`)
    expect(second.status).toBe(422)
    expect(second.json.error.code).toBe('pool.holding_cap_reached')
    await setRules({ holdingCap: null })
  })

  it('keeps the previous owner from claiming back within the cooldown (422 pool.cooldown)', async () => {
    await setRules({ cooldownDays: 7 })
    const { json: c } = await as('sales2').post('/api/customers', { name: '冷却期' })
    await as('sales2').post(`/api/customers/${c.id}/release`, { reason: '暂不跟进' })
    const again = await as('sales2').post(`/api/customers/${c.id}/claim`)
    expect(again.status).toBe(422)
    expect(again.json.error.code).toBe('pool.cooldown')
    await setRules({ cooldownDays: 0 })
  })

  it('lets the previous owner claim back once the cooldown is over', async () => {
    await setRules({ cooldownDays: 7 })
    const { json: c } = await as('sales2').post('/api/customers', { name: '冷却期已过' })
    // released eight days ago (the verb itself, under a moved clock: a token would not survive it)
    setClock(runningFrom(now() - 8 * 24 * 3600 * 1000))
    await releaseCustomer(sales2Session, c.id, '暂不跟进')
    setClock(undefined)
    expect((await as('sales2').post(`/api/customers/${c.id}/claim`)).status).toBe(200)
    await setRules({ cooldownDays: 0 })
  })

  it('claims in one read of the rules, one of the customer and one transaction', async () => {
    const created = await poolCustomer('调用次数')
    forgetSettings(DEMO_CORP_ID)
    const res = await as('sales1').post(`/api/customers/${created.id}/claim`)
    expect(ddbUsage(res.headers).calls).toBe(3)
  })

  it('claims again with the rules this instance holds: the customer and one transaction', async () => {
    const created = await poolCustomer('调用次数二')
    const res = await as('sales1').post(`/api/customers/${created.id}/claim`)
    expect(ddbUsage(res.headers).calls).toBe(2)
  })
})

describe('auto-recycling', () => {
  it('returns customers without a follow-up for N days to the pool, and leaves the others', async () => {
    await setRules({ recycle: { D: { noFollowUpDays: 30, noWonDays: null } } })
    const stale = (await as('sales1').post('/api/customers', { name: '久未跟进', category: 'D' })).json
    const other = (await as('sales1').post('/api/customers', { name: '别的分类', category: 'A' })).json
    const fresh = (await as('sales1').post('/api/customers', { name: '刚跟进', category: 'D' })).json
    // followed up 20 days from now: 11 days before the recycling run
    await as('sales1').post('/api/followups', {
      customerId: fresh.id,
      method: 'phone',
      content: '聊了聊',
      followedAt: new Date(now() + 20 * 24 * 3600 * 1000).toISOString(),
    })
    const { recycled } = await recycleDueCustomers(DEMO_CORP_ID, now() + 31 * 24 * 3600 * 1000)
    expect(recycled).toContain(stale.id)
    expect(recycled).not.toContain(other.id)
    expect(recycled).not.toContain(fresh.id)
    const { json } = await as('admin').get(`/api/customers/${stale.id}`)
    expect(json).toMatchObject({ ownerId: null, prevOwnerId: 'sales1' })
    expect(json.releaseReason).toContain('30')
    const again = await recycleDueCustomers(DEMO_CORP_ID, now() + 31 * 24 * 3600 * 1000)
    expect(again.recycled).not.toContain(stale.id)
    await setRules({ recycle: {} })
  })
})
