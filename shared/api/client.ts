import * as z from 'zod'
import {
  ApiErrorBody,
  BinEntry,
  Competitor,
  CompetitorInput,
  Dept,
  LoginResult,
  Me,
  Page,
  Patch,
  Product,
  ProductInput,
  User,
} from '../schemas/index.js'

/**
 * The typed API client both UIs (and the tests) use. The transport is pluggable: `fetch` in the H5 app
 * and in Node, `dd.httpRequest` in the mini-program. Values are in internal units on this side (money in
 * fen): requests are encoded to the wire with the shared schemas and responses decoded with them.
 */
export interface TransportRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
}
export interface TransportResponse {
  status: number
  headers: Record<string, string>
  body: string
}
export type Transport = (request: TransportRequest) => Promise<TransportResponse>

export const fetchTransport: Transport = async ({ method, url, headers, body }) => {
  const response = await fetch(url, { method, headers, body })
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: await response.text(),
  }
}

/** An error answer of the API, with its stable code (`pool.claim_limit_reached`...). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface ApiClientOptions {
  baseUrl: string
  transport?: Transport
  /** the current session token */
  getToken?: () => string | undefined
  /** logs in again after a 401 and returns the new token; the request is then retried once */
  relogin?: () => Promise<string>
}

type Query = Record<string, string | number | boolean | undefined>

export interface RequestOptions<T> {
  body?: unknown
  query?: Query
  /** decodes the response */
  schema?: z.ZodType<T>
  idempotencyKey?: string
}

const toQueryString = (query: Query = {}) => {
  const params = Object.entries(query).filter(([, v]) => v !== undefined && v !== '')
  return params.length ? '?' + new URLSearchParams(params.map(([k, v]) => [k, String(v)])).toString() : ''
}

export function createApiClient(options: ApiClientOptions) {
  const transport = options.transport ?? fetchTransport

  async function send(
    method: string,
    path: string,
    { body, query, idempotencyKey }: RequestOptions<unknown>,
    token?: string,
  ) {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (token) headers.authorization = `Bearer ${token}`
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey
    return transport({
      method,
      url: options.baseUrl + path + toQueryString(query),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  }

  async function request<T = unknown>(
    method: string,
    path: string,
    opts: RequestOptions<T> = {},
  ): Promise<T> {
    let response = await send(method, path, opts, options.getToken?.())
    if (response.status === 401 && options.relogin)
      response = await send(method, path, opts, await options.relogin())
    if (response.status >= 400) {
      const parsed = ApiErrorBody.safeParse(safeJson(response.body))
      if (parsed.success) {
        const { code, message, details } = parsed.data.error
        throw new ApiError(response.status, code, message, details)
      }
      throw new ApiError(response.status, 'http.error', `请求失败（HTTP ${response.status}）`)
    }
    const json = response.body ? safeJson(response.body) : undefined
    return opts.schema ? opts.schema.parse(json) : (json as T)
  }

  /** The CRUD calls of a collection served by the route factory. */
  function resource<R extends z.ZodType, I extends z.ZodObject, F extends Query = Query>(
    path: string,
    record: R,
    input: I,
  ) {
    const page = Page(record)
    const patch = Patch(input)
    return {
      list: (filter?: F & { limit?: number; cursor?: string }) =>
        request(`GET`, path, { query: filter, schema: page }) as Promise<Page<z.output<R>>>,
      get: (id: string) => request('GET', `${path}/${encodeURIComponent(id)}`, { schema: record }),
      create: (value: z.output<I>, idempotencyKey?: string) =>
        request('POST', path, { body: z.encode(input, value), schema: record, idempotencyKey }),
      update: (id: string, changes: Partial<z.output<I>> & { version: number }) =>
        request('PATCH', `${path}/${encodeURIComponent(id)}`, {
          body: z.encode(patch, changes),
          schema: record,
        }),
      remove: (id: string) => request('DELETE', `${path}/${encodeURIComponent(id)}`),
    }
  }

  return {
    request,
    resource,
    auth: {
      login: (authCode: string, corpId: string) =>
        request('POST', '/api/auth/login', { body: { authCode, corpId }, schema: LoginResult }),
      me: () => request('GET', '/api/me', { schema: Me }),
    },
    users: {
      list: (filter: { deptId?: string; q?: string; limit?: number; cursor?: string } = {}) =>
        request('GET', '/api/users', { query: filter, schema: Page(User) }),
      setRole: (id: string, role: User['role']) =>
        request('PUT', `/api/users/${encodeURIComponent(id)}/role`, { body: { role }, schema: User }),
    },
    depts: {
      list: (filter: { q?: string; limit?: number; cursor?: string } = {}) =>
        request('GET', '/api/depts', { query: filter, schema: Page(Dept) }),
    },
    products: resource<typeof Product, typeof ProductInput, { q?: string; enabled?: boolean }>(
      '/api/products',
      Product,
      ProductInput,
    ),
    competitors: resource<typeof Competitor, typeof CompetitorInput, { q?: string }>(
      '/api/competitors',
      Competitor,
      CompetitorInput,
    ),
    recycleBin: {
      list: (filter: { collection?: string; limit?: number; cursor?: string } = {}) =>
        request('GET', '/api/recycle-bin', { query: filter, schema: Page(BinEntry) }),
      restore: (collection: string, id: string) =>
        request('POST', `/api/recycle-bin/${collection}/${encodeURIComponent(id)}/restore`),
    },
  }
}

export type ApiClient = ReturnType<typeof createApiClient>

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
