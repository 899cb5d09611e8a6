import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'

const t = useStack({ seed: false })
let tokenA: string
let tokenB: string
let productA: { id: string; version: number }

beforeAll(async () => {
  tokenA = await t.token({ tenantId: 'corp-a', userId: 'alice', role: 'admin' })
  tokenB = await t.token({ tenantId: 'corp-b', userId: 'bob', role: 'admin' })
  productA = (await t.http('POST', '/api/products', { token: tokenA, body: { name: 'A 公司的产品' } })).json
})

describe('a token of tenant B never reaches tenant A', () => {
  it('cannot read A’s record: 404', async () => {
    const { status, json } = await t.http('GET', `/api/products/${productA.id}`, { token: tokenB })
    expect(status).toBe(404)
    expect(json.error.code).toBe('product.not_found')
  })

  it('does not see A’s records in its list', async () => {
    const { json } = await t.http('GET', '/api/products?limit=200', { token: tokenB })
    expect(json.items.map((p: { id: string }) => p.id)).not.toContain(productA.id)
  })

  it('cannot update A’s record: 404, and A’s record is unchanged', async () => {
    const { status } = await t.http('PATCH', `/api/products/${productA.id}`, {
      token: tokenB,
      body: { name: '被篡改', version: 1 },
    })
    expect(status).toBe(404)
    const { json } = await t.http('GET', `/api/products/${productA.id}`, { token: tokenA })
    expect(json).toMatchObject({ name: 'A 公司的产品', version: 1 })
  })

  it('cannot delete A’s record: 404', async () => {
    expect((await t.http('DELETE', `/api/products/${productA.id}`, { token: tokenB })).status).toBe(404)
    expect((await t.http('GET', `/api/products/${productA.id}`, { token: tokenA })).status).toBe(200)
  })

  it('cannot see or restore A’s deleted records', async () => {
    const { json: doomed } = await t.http('POST', '/api/products', {
      token: tokenA,
      body: { name: 'A 删除的' },
    })
    await t.http('DELETE', `/api/products/${doomed.id}`, { token: tokenA })
    const bin = await t.http('GET', '/api/recycle-bin', { token: tokenB })
    expect(bin.json.items).toEqual([])
    const restore = await t.http('POST', `/api/recycle-bin/products/${doomed.id}/restore`, { token: tokenB })
    expect(restore.status).toBe(404)
  })

  it('cannot use A’s list cursor to page through A’s data', async () => {
    await t.http('POST', '/api/products', { token: tokenA, body: { name: 'A 第二个' } })
    const { json: page } = await t.http('GET', '/api/products?limit=1', { token: tokenA })
    expect(page.nextCursor).toBeTruthy()
    const { status } = await t.http('GET', `/api/products?limit=1&cursor=${page.nextCursor}`, {
      token: tokenB,
    })
    expect(status).toBe(400)
  })

  it('cannot pick the tenant through the body or the query: either is refused, naming it', async () => {
    const answers = [
      await t.http('POST', '/api/products', { token: tokenB, body: { name: 'B 的', tenantId: 'corp-a' } }),
      await t.http('POST', '/api/products?tenantId=corp-a', { token: tokenB, body: { name: 'B 的' } }),
    ]
    for (const { status, json } of answers) {
      expect(status).toBe(400)
      expect(json.error.message).toContain('tenantId')
    }
    const { json: listA } = await t.http('GET', '/api/products?limit=200', { token: tokenA })
    expect(listA.items.map((p: { name: string }) => p.name)).not.toContain('B 的')
  })
})
