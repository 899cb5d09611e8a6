import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'

const t = useStack({ seed: false })
let token: string

beforeAll(async () => {
  token = await t.token({ tenantId: 'tenant-errors', userId: 'u1' })
})

describe('bad input gets a clear 4xx with a code', () => {
  it('answers malformed JSON with 400 validation.failed', async () => {
    const { status, json } = await t.http('POST', '/api/products', {
      token,
      rawBody: '{"name": "缺右括号"',
      headers: { 'content-type': 'application/json' },
    })
    expect(status).toBe(400)
    expect(json.error.code).toBe('validation.failed')
    expect(json.error.message).toContain('JSON')
  })

  it('answers a wrong type with 400 and the field path in details', async () => {
    const { status, json } = await t.http('POST', '/api/products', {
      token,
      body: { name: '类型错误', price: '一百' },
    })
    expect(status).toBe(400)
    expect(json.error.code).toBe('validation.failed')
    expect(json.error.details).toEqual([expect.objectContaining({ path: ['price'] })])
    expect(json.error.message).toMatch(/^price: /)
  })

  it('answers a missing required field with 400 naming the field', async () => {
    const { status, json } = await t.http('POST', '/api/products', { token, body: { code: 'NO-NAME' } })
    expect(status).toBe(400)
    expect(json.error.details[0].path).toEqual(['name'])
  })

  it('answers an unknown field in a PATCH with 400', async () => {
    const { json: created } = await t.http('POST', '/api/products', { token, body: { name: '严格补丁' } })
    const { status, json } = await t.http('PATCH', `/api/products/${created.id}`, {
      token,
      body: { version: 1, colour: 'red' },
    })
    expect(status).toBe(400)
    expect(json.error.code).toBe('validation.failed')
  })

  it('answers a body over the size limit with 413 request.too_large', async () => {
    const { status, json } = await t.http('POST', '/api/products', {
      token,
      body: { name: 'x', description: 'y'.repeat(1_100_000) },
    })
    expect(status).toBe(413)
    expect(json.error.code).toBe('request.too_large')
  })

  it('answers a non-JSON media type with 415', async () => {
    const { status, json } = await t.http('POST', '/api/products', {
      token,
      rawBody: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(status).toBe(415)
    expect(json.error.code).toBe('request.unsupported_media_type')
  })

  it('answers a request without a token with 401 auth.required', async () => {
    const { status, json } = await t.http('GET', '/api/products')
    expect(status).toBe(401)
    expect(json.error.code).toBe('auth.required')
  })

  it('answers a forged token with 401 auth.invalid', async () => {
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA')
    const { status, json } = await t.http('GET', '/api/products', { token: forged })
    expect(status).toBe(401)
    expect(json.error.code).toBe('auth.invalid')
  })

  it('answers an unknown route with 404 route.not_found', async () => {
    const { status, json } = await t.http('GET', '/api/products/x/y/z', { token })
    expect(status).toBe(404)
    expect(json.error.code).toBe('route.not_found')
  })

  it('answers an unknown id with 404 product.not_found', async () => {
    const { status, json } = await t.http('GET', '/api/products/01HXXXXXXXXXXXXXXXXXXXXXXX', { token })
    expect(status).toBe(404)
    expect(json.error.code).toBe('product.not_found')
  })

  it('answers a cursor that is not one of ours with 400', async () => {
    const { status, json } = await t.http('GET', '/api/products?cursor=bm90LWpzb24', { token })
    expect(status).toBe(400)
    expect(json.error.code).toBe('validation.failed')
  })

  it('answers limit out of range with 400', async () => {
    const { status } = await t.http('GET', '/api/products?limit=500', { token })
    expect(status).toBe(400)
  })
})

describe('the local dev routes answer bad input like every route', () => {
  it('answers a scheduler run at a time that is not one with 400 validation.failed naming now', async () => {
    const { status, json } = await t.http('POST', '/__dev/scheduler/run', { body: { now: 'garbage' } })
    expect(status).toBe(400)
    expect(json.error.code).toBe('validation.failed')
    expect(json.error.message).toMatch(/^now: /)
    expect(json.error.details).toEqual([expect.objectContaining({ path: ['now'] })])
  })

  it('answers a scheduler run with malformed JSON with 400 validation.failed', async () => {
    const { status, json } = await t.http('POST', '/__dev/scheduler/run', {
      rawBody: '{"now": ',
      headers: { 'content-type': 'application/json' },
    })
    expect(status).toBe(400)
    expect(json.error.code).toBe('validation.failed')
    expect(json.error.message).toContain('JSON')
  })
})
