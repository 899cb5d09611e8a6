import { beforeAll, describe, expect, it } from 'vitest'
import { handler as products } from '../../functions/products/handler.js'
import { handler as health } from '../../functions/health/handler.js'
import { useStack } from '../helpers/stack.js'

const t = useStack({ seed: false })
let token: string

beforeAll(async () => {
  token = await t.token({ tenantId: 'tenant-events', userId: 'u1', role: 'admin' })
})

/** An event exactly as Function Compute 3's HTTP trigger delivers it to a built-in Node runtime. */
const fc3Event = (
  method: string,
  path: string,
  init: { body?: string; query?: Record<string, string>; headers?: Record<string, string> } = {},
) =>
  Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: path,
      body: init.body ?? '',
      isBase64Encoded: false,
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}`, ...init.headers },
      queryParameters: init.query ?? {},
      requestContext: {
        accountId: '123456',
        domainName: 'abc.cn-hangzhou.fcapp.run',
        domainPrefix: 'abc',
        http: { method, path, protocol: 'HTTP/1.1', sourceIp: '11.11.11.11', userAgent: 'test' },
        requestId: '1-64f6cd87-1',
        time: '2023-09-05T06:41:11Z',
        timeEpoch: '1693896071895',
      },
    }),
  )

/** An API Gateway v2 (HTTP API, payload 2.0) event, as Lambda receives it. */
const apiGatewayEvent = (
  method: string,
  path: string,
  init: { body?: string; base64?: boolean; query?: string; headers?: Record<string, string> } = {},
) => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: init.query ?? '',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...init.headers },
  queryStringParameters: init.query ? Object.fromEntries(new URLSearchParams(init.query)) : undefined,
  requestContext: {
    accountId: '123',
    apiId: 'api',
    domainName: 'x.execute-api.cn-north-1.amazonaws.com.cn',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '1.2.3.4', userAgent: 'test' },
    requestId: 'req-1',
    routeKey: '$default',
    stage: '$default',
    time: '12/Mar/2020:19:03:58 +0000',
    timeEpoch: 1583348638390,
  },
  body: init.base64 ? Buffer.from(init.body ?? '').toString('base64') : init.body,
  isBase64Encoded: init.base64 ?? false,
})

describe('one handler, two platforms', () => {
  it('serves a Function Compute 3 HTTP trigger event (a Buffer, version v1)', async () => {
    const created = await products(
      fc3Event('POST', '/api/products', { body: JSON.stringify({ name: 'FC3 产品' }) }),
      {},
    )
    expect(created.statusCode).toBe(201)
    const { id } = JSON.parse(created.body)
    const got = await products(fc3Event('GET', `/api/products/${id}`), {})
    expect(JSON.parse(got.body)).toMatchObject({ id, name: 'FC3 产品' })
  })

  it('reads query parameters of a Function Compute 3 event', async () => {
    const listed = await products(fc3Event('GET', '/api/products', { query: { q: 'FC3', limit: '5' } }), {})
    expect(listed.statusCode).toBe(200)
    expect(JSON.parse(listed.body).items.every((p: { name: string }) => p.name.includes('FC3'))).toBe(true)
  })

  it('serves an API Gateway v2 event, including a base64 body', async () => {
    const created = await products(
      apiGatewayEvent('POST', '/api/products', {
        body: JSON.stringify({ name: 'Lambda 产品' }),
        base64: true,
      }),
      {},
    )
    expect(created.statusCode).toBe(201)
    const listed = await products(apiGatewayEvent('GET', '/api/products', { query: 'q=Lambda' }), {})
    expect(JSON.parse(listed.body).items[0]).toMatchObject({ name: 'Lambda 产品' })
  })

  it('answers health without a token on either platform', async () => {
    const fc3 = await health(fc3Event('GET', '/api/health', { headers: { Authorization: '' } }), {})
    const apigw = await health(apiGatewayEvent('GET', '/api/health'), {})
    expect(JSON.parse(fc3.body)).toEqual({ ok: true })
    expect(JSON.parse(apigw.body)).toEqual({ ok: true })
  })

  it('answers a CORS preflight from the H5 origin on any path', async () => {
    const response = await products(
      apiGatewayEvent('OPTIONS', '/api/products/x', { headers: { origin: t.baseUrl } }),
      {},
    )
    expect(response.statusCode).toBe(204)
    expect(response.headers['Access-Control-Allow-Origin']).toBe(t.baseUrl)
  })
})
