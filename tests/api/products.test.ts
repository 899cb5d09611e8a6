import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { ddbUsage, useStack } from '../helpers/stack.js'

const t = useStack()
let token: string

beforeAll(async () => {
  token = await t.login('sales1')
})

const create = (body: unknown, headers: Record<string, string> = {}) =>
  t.http('POST', '/api/products', { token, body, headers })

describe('products through the route factory', () => {
  it('creates a product and answers the full record with meta fields and money in yuan', async () => {
    const { status, json } = await create({ name: '云会议 年度版', code: 'MEET-Y', price: 1999.9 })
    expect(status).toBe(201)
    expect(json).toMatchObject({
      name: '云会议 年度版',
      code: 'MEET-Y',
      price: 1999.9,
      enabled: true,
      version: 1,
      createdBy: 'sales1',
    })
    expect(json.id).toMatch(/^[0-9A-Z]{26}$/)
    expect(json.createdAt).toBe(json.updatedAt)
  })

  it('gets a product by id in one DynamoDB call', async () => {
    const { json: created } = await create({ name: '单次读取' })
    const { status, json, headers } = await t.http('GET', `/api/products/${created.id}`, { token })
    expect(status).toBe(200)
    expect(json).toEqual(created)
    expect(ddbUsage(headers)).toMatchObject({ calls: 1 })
  })

  it('pages the list with a keyset cursor, newest first, one Query per page', async () => {
    const names = ['分页-1', '分页-2', '分页-3']
    for (const name of names) await create({ name })
    const first = await t.http('GET', '/api/products?limit=2&q=分页', { token })
    expect(ddbUsage(first.headers).calls).toBe(1)
    const seen = [...first.json.items]
    let cursor = first.json.nextCursor
    while (cursor) {
      const next = await t.http('GET', `/api/products?limit=2&q=分页&cursor=${cursor}`, { token })
      seen.push(...next.json.items)
      cursor = next.json.nextCursor
    }
    expect(seen.map((p: { name: string }) => p.name)).toEqual(['分页-3', '分页-2', '分页-1'])
  })

  it('filters the list by enabled', async () => {
    await create({ name: '停用产品 X', enabled: false })
    let cursor: string | null = null
    const all: { enabled: boolean }[] = []
    do {
      const page: { json: { items: { enabled: boolean }[]; nextCursor: string | null } } = await t.http(
        'GET',
        `/api/products?enabled=false&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
        { token },
      )
      all.push(...page.json.items)
      cursor = page.json.nextCursor
    } while (cursor)
    expect(all.length).toBeGreaterThan(0)
    expect(all.every((p) => p.enabled === false)).toBe(true)
  })

  it('updates with the current version and bumps it', async () => {
    const { json: created } = await create({ name: '待改名', price: 10 })
    const { status, json } = await t.http('PATCH', `/api/products/${created.id}`, {
      token,
      body: { name: '已改名', version: 1 },
    })
    expect(status).toBe(200)
    expect(json).toMatchObject({ name: '已改名', price: 10, version: 2, enabled: true })
  })

  it('answers 409 version.conflict to a stale version and changes nothing', async () => {
    const { json: created } = await create({ name: '并发修改' })
    await t.http('PATCH', `/api/products/${created.id}`, { token, body: { name: '第一次', version: 1 } })
    const stale = await t.http('PATCH', `/api/products/${created.id}`, {
      token,
      body: { name: '第二次', version: 1 },
    })
    expect(stale.status).toBe(409)
    expect(stale.json.error.code).toBe('version.conflict')
    const { json } = await t.http('GET', `/api/products/${created.id}`, { token })
    expect(json).toMatchObject({ name: '第一次', version: 2 })
  })

  it('makes a retried POST with the same Idempotency-Key create one record and answer the same', async () => {
    const key = randomUUID()
    const name = `幂等-${key}`
    const first = await create({ name }, { 'idempotency-key': key })
    const retry = await create({ name }, { 'idempotency-key': key })
    expect(first.status).toBe(201)
    expect(retry.status).toBe(201)
    expect(retry.json).toEqual(first.json)
    expect(retry.headers.get('idempotent-replay')).toBe('true')
    const { json } = await t.http('GET', `/api/products?q=${encodeURIComponent(name)}`, { token })
    expect(json.items).toHaveLength(1)
  })

  it('refuses a key already used by another request with 422, rather than replay its answer', async () => {
    const key = randomUUID()
    expect((await create({ name: `幂等-${key}` }, { 'idempotency-key': key })).status).toBe(201)
    const other = await t.http('POST', '/api/competitors', {
      token,
      body: { name: `竞争对手-${key}` },
      headers: { 'idempotency-key': key },
    })
    expect([other.status, other.json.error.code]).toEqual([422, 'idempotency.key_reused'])
    const { json } = await t.http('GET', `/api/competitors?q=${encodeURIComponent(key)}`, { token })
    expect(json.items).toHaveLength(0)
  })

  it('makes concurrent POSTs with one Idempotency-Key create one record', async () => {
    const key = randomUUID()
    const name = `并发幂等-${key}`
    const results = await Promise.all(
      Array.from({ length: 5 }, () => create({ name }, { 'idempotency-key': key })),
    )
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201])
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1)
    const { json } = await t.http('GET', `/api/products?q=${encodeURIComponent(name)}`, { token })
    expect(json.items).toHaveLength(1)
  })

  it('deletes into the recycle bin, from where the record is restored as it was', async () => {
    const { json: created } = await create({ name: '误删产品', price: 88.8 })
    const removed = await t.http('DELETE', `/api/products/${created.id}`, { token })
    expect(removed.status).toBe(204)
    expect((await t.http('GET', `/api/products/${created.id}`, { token })).status).toBe(404)

    const bin = await t.http('GET', '/api/recycle-bin?collection=products', { token })
    expect(bin.json.items[0]).toMatchObject({
      collection: 'products',
      id: created.id,
      label: '误删产品',
      deletedBy: 'sales1',
    })

    const restored = await t.http('POST', `/api/recycle-bin/products/${created.id}/restore`, { token })
    expect(restored.status).toBe(200)
    expect(restored.json).toMatchObject({ id: created.id, name: '误删产品', price: 88.8, version: 3 })
    expect((await t.http('GET', `/api/products/${created.id}`, { token })).json.name).toBe('误删产品')
    const after = await t.http('GET', '/api/recycle-bin?collection=products', { token })
    expect(after.json.items.map((e: { id: string }) => e.id)).not.toContain(created.id)
  })

  it('keeps money exact: amounts in yuan go in and come out unchanged', async () => {
    const prices = [0.1, 0.2, 0.3, 19.99, 1234567.89, 549746498.92, 999999999999.99]
    for (const price of prices) {
      const { json } = await create({ name: `价格 ${price}`, price })
      expect(json.price).toBe(price)
    }
  })

  it('rejects a price with more than two decimals', async () => {
    const { status, json } = await create({ name: '三位小数', price: 1.234 })
    expect(status).toBe(400)
    expect(json.error.details[0].path).toEqual(['price'])
  })

  it('uses one transaction (one call) to create and a read plus a transaction to update', async () => {
    const created = await create({ name: '计数' })
    expect(ddbUsage(created.headers)).toMatchObject({ calls: 1 })
    expect(ddbUsage(created.headers).wcu).toBeGreaterThan(0)
    const updated = await t.http('PATCH', `/api/products/${created.json.id}`, {
      token,
      body: { name: '计数2', version: 1 },
    })
    expect(ddbUsage(updated.headers)).toMatchObject({ calls: 2 })
  })
})

describe('competitors through the same factory', () => {
  it('supports the full CRUD cycle', async () => {
    const created = await t.http('POST', '/api/competitors', {
      token,
      body: { name: '某友商', strengths: '便宜' },
    })
    expect(created.status).toBe(201)
    const listed = await t.http('GET', '/api/competitors?q=友商', { token })
    expect(listed.json.items.map((c: { id: string }) => c.id)).toContain(created.json.id)
    const patched = await t.http('PATCH', `/api/competitors/${created.json.id}`, {
      token,
      body: { weaknesses: '服务差', version: 1 },
    })
    expect(patched.json).toMatchObject({
      name: '某友商',
      strengths: '便宜',
      weaknesses: '服务差',
      version: 2,
    })
    expect((await t.http('DELETE', `/api/competitors/${created.json.id}`, { token })).status).toBe(204)
    expect((await t.http('GET', `/api/competitors/${created.json.id}`, { token })).status).toBe(404)
  })
})
