import { now } from '../../functions/core/clock.js'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { beforeAll, describe, expect, it } from 'vitest'
import { CustomerEntity } from '../../functions/db/entities/lifecycle.js'
import { recycleDueCustomers } from '../../functions/domain/customers/index.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'

/**
 * 有进行中商机的客户不回收: each customer keeps a count of its open opportunities, moved by the
 * opportunities' own transactions (create, stage move, delete, restore), and the pool's auto-recycling
 * skips customers that have one while the tenant's rules say so.
 */
const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['admin', 'sales1']) tokens[user] = await t.login(user)
})

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  put: (path: string, body: unknown) => t.http('PUT', path, { token: tokens[user], body }),
  delete: (path: string) => t.http('DELETE', path, { token: tokens[user] }),
})

async function created(path: string, body: unknown) {
  const res = await as('sales1').post(path, body)
  expect(res.status, res.text).toBe(201)
  return res.json as { id: string; ownerId?: string }
}

const openCount = async (id: string) => {
  const { Item } = await CustomerEntity.build(GetItemCommand)
    .key({ tenantId: DEMO_CORP_ID, id })
    .options({ consistent: true })
    .send()
  return Item?.openOpportunities ?? 0
}

const move = async (opportunityId: string, stageId: string, lostReason?: string) => {
  const res = await as('sales1').post(`/api/opportunities/${opportunityId}/stage`, { stageId, lostReason })
  expect(res.status, res.text).toBe(200)
}

async function setRules(rules: Record<string, unknown>) {
  const current = (await as('admin').get('/api/settings/pool')).json
  expect((await as('admin').put('/api/settings/pool', { ...current, ...rules })).status).toBe(200)
}

describe('the open-opportunity count of a customer', () => {
  it('follows creates, stage moves in and out of won and lost, deletes and restores', async () => {
    const customer = await created('/api/customers', { name: '商机计数客户' })
    const first = await created('/api/opportunities', { name: '商机一', customerId: customer.id })
    const second = await created('/api/opportunities', { name: '商机二', customerId: customer.id })
    expect(await openCount(customer.id)).toBe(2)
    await move(first.id, 's2')
    expect(await openCount(customer.id)).toBe(2)
    await move(first.id, 'won')
    expect(await openCount(customer.id)).toBe(1)
    await move(first.id, 's3')
    expect(await openCount(customer.id)).toBe(2)
    await move(second.id, 'lost', '价格太高')
    expect(await openCount(customer.id)).toBe(1)
    expect((await as('sales1').delete(`/api/opportunities/${first.id}`)).status).toBe(204)
    expect(await openCount(customer.id)).toBe(0)
    await as('admin').post(`/api/recycle-bin/opportunities/${first.id}/restore`)
    expect(await openCount(customer.id)).toBe(1)
  })

  it('keeps the count when the customer itself is edited after it was read elsewhere (version)', async () => {
    const customer = await created('/api/customers', { name: '并发计数客户' })
    const read = (await as('sales1').get(`/api/customers/${customer.id}`)).json
    await created('/api/opportunities', { name: '并发商机', customerId: customer.id })
    const stale = await t.http('PATCH', `/api/customers/${customer.id}`, {
      token: tokens.sales1,
      body: { remark: '旧版本的修改', version: read.version },
    })
    expect(stale.status).toBe(409)
    expect(await openCount(customer.id)).toBe(1)
  })
})

describe('auto-recycling and open opportunities', () => {
  it('skips customers with an open opportunity while the rule exempts them, and recycles them once it does not', async () => {
    await setRules({ recycle: { D: { noFollowUpDays: 5, noWonDays: null } }, exemptOpenOpportunity: true })
    const busy = await created('/api/customers', { name: '有商机的客户', category: 'D' })
    const idle = await created('/api/customers', { name: '无商机的客户', category: 'D' })
    const deal = await created('/api/opportunities', { name: '进行中的商机', customerId: busy.id })
    const later = now() + 6 * 24 * 3600 * 1000

    const { recycled } = await recycleDueCustomers(DEMO_CORP_ID, later)
    expect(recycled).toContain(idle.id)
    expect(recycled).not.toContain(busy.id)
    expect((await as('sales1').get(`/api/customers/${busy.id}`)).json.ownerId).toBe('sales1')

    await move(deal.id, 'lost', '客户预算取消')
    expect((await recycleDueCustomers(DEMO_CORP_ID, later)).recycled).toContain(busy.id)
  })

  it('recycles customers with open opportunities when the tenant turns the exemption off', async () => {
    await setRules({ recycle: { C: { noFollowUpDays: 5, noWonDays: null } }, exemptOpenOpportunity: false })
    const busy = await created('/api/customers', { name: '不豁免的客户', category: 'C' })
    await created('/api/opportunities', { name: '进行中的商机', customerId: busy.id })
    const later = now() + 6 * 24 * 3600 * 1000
    expect((await recycleDueCustomers(DEMO_CORP_ID, later)).recycled).toContain(busy.id)
  })
})
