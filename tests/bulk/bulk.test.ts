import { DeleteItemCommand } from 'dynamodb-toolbox/entity/actions/delete'
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { IdempotencyEntity } from '../../functions/db/entities/idempotency.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { ddbUsage, useStack } from '../helpers/stack.js'

const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['admin', 'mgr1', 'sales1', 'sales2', 'sales3']) tokens[user] = await t.login(user)
})

const post = (user: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.http('POST', path, { token: tokens[user], body, headers })

async function customers(user: string, count: number, prefix = randomUUID().slice(0, 6)) {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const { json, status } = await post(user, '/api/customers', { name: `批量${prefix}-${i}` })
    expect(status).toBe(201)
    ids.push(json.id)
  }
  return ids
}

const owner = async (id: string) =>
  (await t.http('GET', `/api/customers/${id}`, { token: tokens.admin })).json.ownerId as string | null

describe('bulk actions on customers', () => {
  it('reassigns each customer as 经理调整 would and lists what failed with the reason', async () => {
    const mine = await customers('sales1', 3)
    const [elsewhere] = await customers('sales3', 1) // 销售二部: outside mgr1's scope
    const res = await post('mgr1', '/api/customers/bulk/assign', {
      ids: [...mine, elsewhere, mine[0]],
      ownerId: 'sales2',
    })
    expect(res.status).toBe(200)
    expect(res.json.done).toEqual(mine)
    expect(res.json.failed).toEqual([{ id: elsewhere, code: 'customer.not_found', message: '客户不存在' }])
    for (const id of mine) expect(await owner(id)).toBe('sales2')
    expect(await owner(elsewhere)).toBe('sales3')
    // the single route's 动态 and card, once per record
    const timeline = await t.http('GET', `/api/customers/${mine[1]}/timeline`, { token: tokens.mgr1 })
    expect(timeline.json.items.filter((a: { action: string }) => a.action === 'assigned')).toHaveLength(1)
    const { json: sales2List } = await t.http('GET', '/api/customers?limit=50', { token: tokens.sales2 })
    expect(sales2List.total).toBeGreaterThanOrEqual(3)
  })

  it('reads the new owner from the directory once per request, not once per customer', async () => {
    const assign = async (ids: string[]) => {
      const res = await post('mgr1', '/api/customers/bulk/assign', { ids, ownerId: 'sales2' })
      expect(res.json.done).toEqual(ids)
      return ddbUsage(res.headers).calls
    }
    const one = await assign(await customers('sales1', 1))
    const four = await assign(await customers('sales1', 4))
    // each further customer: its read and its one transaction (the owner's read is shared)
    expect((four - one) / 3).toBe(2)
  })

  it('refuses a member, more than 200 ids and a field the single route does not take', async () => {
    const [id] = await customers('sales1', 1)
    expect(
      (await post('sales1', '/api/customers/bulk/assign', { ids: [id], ownerId: 'sales2' })).status,
    ).toBe(403)
    const many = Array.from({ length: 201 }, (_, i) => `id${i}`)
    expect((await post('mgr1', '/api/customers/bulk/delete', { ids: many })).status).toBe(400)
    const extra = await post('mgr1', '/api/customers/bulk/category', { ids: [id], category: 'A', x: 1 })
    expect(extra.status).toBe(400)
  })

  it('releases, recategorises and deletes a member’s own customers, each by its own rule', async () => {
    const ids = await customers('sales1', 2)
    const [others] = await customers('sales2', 1)
    const category = await post('sales1', '/api/customers/bulk/category', { ids, category: 'B' })
    expect(category.json.done).toEqual(ids)
    const released = await post('sales1', '/api/customers/bulk/release', {
      ids: [ids[0], others],
      reason: '批量退回',
    })
    expect(released.json.done).toEqual([ids[0]])
    expect(released.json.failed.map((f: { id: string }) => f.id)).toEqual([others])
    const pooled = (await t.http('GET', `/api/customers/${ids[0]}`, { token: tokens.mgr1 })).json
    expect(pooled).toMatchObject({ category: 'B', releaseReason: '批量退回' })
    expect(pooled.ownerId).toBeNull()
    const removed = await post('sales1', '/api/customers/bulk/delete', { ids: [ids[1]] })
    expect(removed.json).toEqual({ done: [ids[1]], failed: [] })
    expect((await t.http('GET', `/api/customers/${ids[1]}`, { token: tokens.sales1 })).status).toBe(404)
  })

  it('answers a retried request with the same Idempotency-Key once, and does not redo a record done before a crash', async () => {
    const ids = await customers('sales1', 2)
    const key = randomUUID()
    const first = await post(
      'mgr1',
      '/api/customers/bulk/assign',
      { ids, ownerId: 'sales2' },
      { 'idempotency-key': key },
    )
    expect(first.json.done).toEqual(ids)
    // someone gives the first one back; the retry must not take it again
    await post('mgr1', `/api/customers/${ids[0]}/assign`, { ownerId: 'sales1' })
    const retry = await post(
      'mgr1',
      '/api/customers/bulk/assign',
      { ids, ownerId: 'sales2' },
      { 'idempotency-key': key },
    )
    expect(retry.headers.get('idempotent-replay')).toBe('true')
    expect(retry.json).toEqual(first.json)
    expect(await owner(ids[0])).toBe('sales1')
    // a request that stopped before its answer was kept: the records it did stay done, the rest are done now
    const more = await customers('sales1', 1)
    const key2 = randomUUID()
    await post(
      'mgr1',
      '/api/customers/bulk/assign',
      { ids: [ids[1]], ownerId: 'sales1' },
      { 'idempotency-key': key2 },
    )
    await IdempotencyEntity.build(DeleteItemCommand)
      .key({ tenantId: DEMO_CORP_ID, userId: 'mgr1', key: key2 })
      .send()
    await post('mgr1', `/api/customers/${ids[1]}/assign`, { ownerId: 'sales2' })
    const resumed = await post(
      'mgr1',
      '/api/customers/bulk/assign',
      { ids: [ids[1], ...more], ownerId: 'sales1' },
      { 'idempotency-key': key2 },
    )
    expect(resumed.json.done).toEqual([ids[1], ...more])
    expect(await owner(ids[1])).toBe('sales2')
    expect(await owner(more[0])).toBe('sales1')
  })
})

describe('bulk actions on leads and deals', () => {
  it('assigns and deletes leads, opportunities and contracts as their single routes would', async () => {
    const lead = (await post('sales1', '/api/leads', { title: '批量线索' })).json
    const assigned = await post('mgr1', '/api/leads/bulk/assign', { ids: [lead.id], assigneeId: 'sales2' })
    expect(assigned.json).toEqual({ done: [lead.id], failed: [] })
    const [customerId] = await customers('sales1', 1)
    const opp = (await post('sales1', '/api/opportunities', { name: '批量商机', customerId, amount: 100 }))
      .json
    const contract = (
      await post('sales1', '/api/contracts', {
        number: `HT-${randomUUID().slice(0, 8)}`,
        name: '批量合同',
        customerId,
        amount: 500,
        signedAt: '2026-11-01',
      })
    ).json
    for (const [path, id] of [
      ['opportunities', opp.id],
      ['contracts', contract.id],
    ]) {
      const res = await post('mgr1', `/api/${path}/bulk/assign`, { ids: [id], ownerId: 'sales2' })
      expect(res.json).toEqual({ done: [id], failed: [] })
      const record = (await t.http('GET', `/api/${path}/${id}`, { token: tokens.mgr1 })).json
      expect(record.ownerId).toBe('sales2')
      // sales1 owns them no more: deleting is not theirs (their customer still shows it: 403, not 404)
      const denied = await post('sales1', `/api/${path}/bulk/delete`, { ids: [id] })
      expect(denied.json.failed[0]).toMatchObject({ id, code: 'auth.forbidden' })
      expect((await post('sales2', `/api/${path}/bulk/delete`, { ids: [id] })).json.done).toEqual([id])
    }
    expect((await post('sales2', '/api/leads/bulk/delete', { ids: [lead.id] })).json.done).toEqual([lead.id])
  })
})
