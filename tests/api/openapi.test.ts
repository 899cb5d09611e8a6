import { describe, expect, it } from 'vitest'
import { functions } from '../../functions/registry.js'
import { useStack } from '../helpers/stack.js'

const t = useStack({ seed: false })

describe('GET /api/openapi.json', () => {
  it('publishes every route every function serves', async () => {
    const { status, json } = await t.http('GET', '/api/openapi.json')
    expect(status).toBe(200)
    for (const fn of Object.values(functions)) {
      for (const route of (await fn.load()).handler.routes) {
        expect(
          json.paths[route.path]?.[route.method.toLowerCase()],
          `${route.method} ${route.path}`,
        ).toBeDefined()
      }
    }
  })

  it('describes money on the wire in yuan as a number and requires the name of a product', async () => {
    const { json } = await t.http('GET', '/api/openapi.json')
    const body = json.paths['/api/products'].post.requestBody.content['application/json'].schema
    expect(body.properties.price.type).toBe('number')
    expect(body.required).toContain('name')
  })

  it('marks login as public and the product routes as needing a bearer token', async () => {
    const { json } = await t.http('GET', '/api/openapi.json')
    expect(json.paths['/api/auth/login'].post.security).toEqual([])
    expect(json.paths['/api/products'].get.security).toEqual([{ bearer: [] }])
  })
})
