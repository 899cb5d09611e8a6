/**
 * Every query and body is strict: a parameter or field the route does not declare is a 400
 * `validation.failed` naming it, never silently ignored. The GET routes are read from the function
 * registry, so a list added later is walked without touching this file.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { functions } from '../../functions/registry.js'
import { csv, upload } from '../imports/files.js'
import { useStack } from '../helpers/stack.js'

const t = useStack({ seed: false })
let admin: string

beforeAll(async () => {
  admin = await t.token({ tenantId: 'corp-strict', userId: 'boss', role: 'admin' })
})

const refusal = (json: { error?: { code?: string; message?: string } }) =>
  `${json?.error?.code} ${json?.error?.message}`

describe('an unknown query parameter', () => {
  it('is refused by name on every GET route, every list among them', async () => {
    const gets: { path: string; list: boolean }[] = []
    for (const fn of Object.values(functions)) {
      for (const { method, path, query } of (await fn.load()).handler.routes) {
        // a list pages: its query defaults `limit`
        if (method === 'GET')
          gets.push({ path, list: (query?.safeParse({}).data as { limit?: number })?.limit !== undefined })
      }
    }
    expect(gets.filter((r) => r.list).length).toBeGreaterThanOrEqual(20)
    const answers: string[] = []
    for (const { path } of gets) {
      // validation runs before the handler: a placeholder id reaches it (a collection must be one)
      const url = `${path.replace('{collection}', 'customers').replace(/\{\w+\}/g, 'x')}?zzUnknown=1`
      const { status, json } = await t.http('GET', url, { token: admin })
      answers.push(`${path} → ${status} ${refusal(json)}`)
    }
    expect(answers.filter((line) => !/ → 400 validation\.failed .*zzUnknown/.test(line))).toEqual([])
  })
})

describe('an unknown body field', () => {
  const creates: [string, Record<string, unknown>, string][] = [
    ['/api/products', { name: '严格产品', colour: 'red' }, 'colour'],
    ['/api/customers', { name: '严格客户', wechat: 'wx-1' }, 'wechat'],
    ['/api/leads', { title: '严格线索', priority: 'high' }, 'priority'],
    ['/api/opportunities', { name: '严格商机', customerId: 'C1', probability: 50 }, 'probability'],
    [
      '/api/contracts',
      {
        number: 'S-1',
        name: '严格合同',
        customerId: 'C1',
        amount: 1,
        signedAt: '2026-01-01',
        currency: 'CNY',
      },
      'currency',
    ],
  ]

  it('is refused by name on a create, and nothing is created', async () => {
    const answers: string[] = []
    for (const [path, body] of creates) {
      const { status, json } = await t.http('POST', path, { token: admin, body })
      answers.push(`${path} → ${status} ${refusal(json)}`)
    }
    expect(answers).toEqual(
      creates.map(([path, , field]) => expect.stringMatching(`^${path} → 400 validation.failed .*${field}`)),
    )
    const { json: products } = await t.http('GET', '/api/products', { token: admin })
    expect(products.items).toEqual([])
  })

  it('is refused with its path inside a nested object', async () => {
    const { status, json } = await t.http('POST', '/api/customers', {
      token: admin,
      body: { name: '严格客户', location: { lat: 30, lng: 120, altitude: 8 } },
    })
    expect(status).toBe(400)
    expect(json.error.message).toMatch(/^location: .*altitude/)
  })

  it('is refused by name on a route that takes no body', async () => {
    const { status, json } = await t.http('POST', '/api/customers/x/claim', {
      token: admin,
      body: { force: true },
    })
    expect(status).toBe(400)
    expect(refusal(json)).toMatch(/^validation\.failed .*force/)
  })

  it('is refused by name among the fields of an upload', async () => {
    const file = csv([['客户名称'], ['严格导入']])
    const { status, json } = await upload(t, admin, 'customers', file, { dryRun: 'true' }, 'data.csv')
    expect(status).toBe(400)
    expect(refusal(json)).toMatch(/^validation\.failed .*dryRun/)
  })
})
