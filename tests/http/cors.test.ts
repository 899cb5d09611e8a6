import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'

const t = useStack({ seed: false })
let configured: string | undefined

// what local mode set (the stack's own origin), put back after a test changes it
beforeAll(() => {
  configured = process.env.ALLOWED_ORIGINS
})
afterEach(() => {
  process.env.ALLOWED_ORIGINS = configured
})

const preflight = (origin: string) =>
  t.http('OPTIONS', '/api/products', {
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  })

describe('CORS: only the configured H5 origins', () => {
  it('refuses a preflight from another origin with 403 and no allow-origin', async () => {
    const { status, headers, json } = await preflight('https://evil.example')
    expect(status).toBe(403)
    expect(json.error.code).toBe('cors.origin_forbidden')
    expect(headers.get('access-control-allow-origin')).toBeNull()
  })

  it('allows a preflight from the local stack’s own origin, naming that origin', async () => {
    const { status, headers } = await preflight(t.baseUrl)
    expect(status).toBe(204)
    expect(headers.get('access-control-allow-origin')).toBe(t.baseUrl)
    expect(headers.get('access-control-allow-headers')).toContain('authorization')
    expect(headers.get('vary')).toContain('Origin')
  })

  it('answers a request from another origin without allow-origin, so its page cannot read it', async () => {
    const { status, headers } = await t.http('GET', '/api/health', {
      headers: { origin: 'https://evil.example' },
    })
    expect(status).toBe(200)
    expect(headers.get('access-control-allow-origin')).toBeNull()
  })

  it('allows each origin listed in ALLOWED_ORIGINS, read when the request comes', async () => {
    process.env.ALLOWED_ORIGINS = `${t.baseUrl}, https://h5.example.com`
    const { status, headers } = await preflight('https://h5.example.com')
    expect(status).toBe(204)
    expect(headers.get('access-control-allow-origin')).toBe('https://h5.example.com')
  })
})
