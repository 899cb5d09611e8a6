import * as z from 'zod'
import { contract } from '../contract/index.js'
import { isRoute, paramNames, type ParamNames, type Params, type Route } from '../contract/route.js'
import { ApiErrorBody, validationFailure } from '../schemas/index.js'

/**
 * The typed API client both UIs (and the tests) use, derived from the route declarations
 * (shared/contract): `api.<noun>.<verb>(...pathParams, input?, options?)` — the path parameters in path
 * order, then the body if the route takes one, else its query, then `CallOptions`. Values are in
 * internal units on this side (money in fen): bodies are encoded to the wire with the route's schema,
 * answers decoded with it. The transport is pluggable: `fetch` in the H5 app and in Node,
 * `dd.httpRequest` in the mini-program.
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

export interface CallOptions {
  idempotencyKey?: string
  /** extra request headers (`if-match`...) */
  headers?: Record<string, string>
  /** sees the headers of a successful answer (`etag`...) */
  onHeaders?: (headers: Record<string, string>) => void
}

export interface RequestOptions<T> extends CallOptions {
  body?: unknown
  query?: Query
  /** decodes the response */
  schema?: z.ZodType<T>
}

// ------------------------------------------------------------------ the calls' types, from the routes

/**
 * What a caller gives for a schema: values as inside (fen, booleans), each field optional as `Shape` has
 * it, and `null` where the wire takes one (a PATCH clears the field).
 */
type Given<Inside, Wire, Shape = Inside> = {
  [K in keyof Shape]: K extends keyof Inside ? Inside[K] | Extract<Wire[K & keyof Wire], null> : Shape[K]
}
/** A body is encoded with its schema, which needs the fields its defaults fill in. */
type BodyOf<S extends z.ZodType> =
  z.output<S> extends readonly unknown[] ? z.output<S> : Given<z.output<S>, z.input<S>>
/** A query goes as it is: the server fills in its defaults. */
type QueryOf<S extends z.ZodType> = Given<z.output<S>, z.input<S>, z.input<S>>

type InputOf<R extends Route> = R extends { body: z.ZodType }
  ? BodyOf<R['body']>
  : R extends { query: z.ZodType }
    ? QueryOf<R['query']>
    : never
type InputArgs<R extends Route> = [InputOf<R>] extends [never]
  ? []
  : object extends InputOf<R>
    ? [input?: InputOf<R>]
    : [input: InputOf<R>]

/** The path parameters in path order. */
type ParamArgs<R extends Route, Names = ParamNames<R['path']>> = Names extends [
  infer Name extends keyof Params<R>,
  ...infer Rest,
]
  ? [Params<R>[Name], ...ParamArgs<R, Rest>]
  : []

export type Answer<R extends Route> = R extends { response: z.ZodType } ? z.output<R['response']> : unknown

/** The call of a route: `(...pathParams, input?, options?)`. */
export type Call<R extends Route> = (
  ...args: [...ParamArgs<R>, ...InputArgs<R>, options?: CallOptions]
) => Promise<Answer<R>>

/** The calls of a group of routes; uploads and downloads go through `upload` and `url` instead. */
export type Calls<G> = {
  [K in keyof G as G[K] extends { multipart: true } | { download: true } ? never : K]: G[K] extends Route
    ? Call<G[K]>
    : Calls<G[K]>
}

// ------------------------------------------------------------------------------------- the client

/** The version an answer's ETag (`"3"`) carries; header names may come in any case. */
export const versionOfTag = (headers: Record<string, string>): number | undefined => {
  const tag = Object.entries(headers).find(([name]) => name.toLowerCase() === 'etag')?.[1]
  const match = tag ? /"(\d+)"/.exec(tag) : null
  return match ? Number(match[1]) : undefined
}

const toQueryString = (query: Query = {}) => {
  const params = Object.entries(query).filter(([, v]) => v !== undefined && v !== '')
  return params.length ? '?' + new URLSearchParams(params.map(([k, v]) => [k, String(v)])).toString() : ''
}

/** A route's path with its parameters filled in (each URI-encoded). */
const pathOf = (route: Route, params: unknown[]) =>
  paramNames(route.path).reduce(
    (path, name, i) => path.replace(`{${name}}`, encodeURIComponent(String(params[i]))),
    route.path,
  )

/** A body in its wire form, or the 400 the server would answer (so a bad value never goes out half-encoded). */
function encode(schema: z.ZodType, value: unknown) {
  const encoded = z.safeEncode(schema, value)
  if (encoded.success) return encoded.data
  const { message, details } = validationFailure(encoded.error)
  throw new ApiError(400, 'validation.failed', message, details)
}

/** The API error an error answer carries. */
function errorOf(status: number, text: string) {
  const parsed = ApiErrorBody.safeParse(safeJson(text))
  if (!parsed.success) return new ApiError(status, 'http.error', `请求失败（HTTP ${status}）`)
  const { code, message, details } = parsed.data.error
  return new ApiError(status, code, message, details)
}

export function createApiClient(options: ApiClientOptions) {
  const transport = options.transport ?? fetchTransport

  async function send(
    method: string,
    path: string,
    { body, query, idempotencyKey, headers: extra }: RequestOptions<unknown>,
    token?: string,
  ) {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (token) headers.authorization = `Bearer ${token}`
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey
    Object.assign(headers, extra)
    return transport({
      method,
      url: options.baseUrl + path + toQueryString(query),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  }

  /** Any request (the DingTalk emulator's helpers); the API's routes have their calls. */
  async function request<T = unknown>(
    method: string,
    path: string,
    opts: RequestOptions<T> = {},
  ): Promise<T> {
    let response = await send(method, path, opts, options.getToken?.())
    if (response.status === 401 && options.relogin)
      response = await send(method, path, opts, await options.relogin())
    if (response.status >= 400) throw errorOf(response.status, response.body)
    opts.onHeaders?.(response.headers)
    const json = response.body ? safeJson(response.body) : undefined
    return opts.schema ? opts.schema.parse(json) : (json as T)
  }

  /** A route's call: the arguments split into path parameters, input and options (see `Call`). */
  const callOf =
    (route: Route) =>
    (...args: unknown[]) => {
      const count = paramNames(route.path).length
      const takesInput = !!(route.body ?? route.query)
      const input = takesInput ? args[count] : undefined
      const callOptions = (args[takesInput ? count + 1 : count] ?? {}) as CallOptions
      return request(route.method, pathOf(route, args), {
        ...callOptions,
        body: route.body ? encode(route.body, input ?? {}) : undefined,
        query: route.query ? (input as Query) : undefined,
        schema: route.response,
      })
    }

  const callsOf = <G extends object>(group: G): Calls<G> =>
    Object.fromEntries(
      Object.entries(group).map(([name, value]) => [
        name,
        isRoute(value) ? callOf(value) : callsOf(value as object),
      ]),
    ) as Calls<G>

  /** The URL of a route, to open or download (exports, an import's error report, an upload target). */
  function url<R extends Route>(
    route: R,
    ...args: [...ParamArgs<R>, ...(R extends { query: z.ZodType } ? [query?: QueryOf<R['query']>] : [])]
  ) {
    const query = route.query ? (args[paramNames(route.path).length] as Query) : undefined
    return options.baseUrl + pathOf(route, args) + toQueryString(query)
  }

  /**
   * Posts a `multipart` route's form (a `FormData` with its `file`) with `fetch`, which the string
   * transport cannot carry; the mini-program uploads to `url(route, ...)` with `dd.uploadFile`.
   */
  async function upload<R extends Route & { multipart: true }>(
    route: R,
    ...args: [...ParamArgs<R>, form: FormData]
  ): Promise<Answer<R>> {
    const token = options.getToken?.()
    const response = await fetch(options.baseUrl + pathOf(route, args), {
      method: route.method,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      body: args[args.length - 1] as FormData,
    })
    const text = await response.text()
    if (response.status >= 400) throw errorOf(response.status, text)
    const json = safeJson(text)
    return (route.response ? route.response.parse(json) : json) as Answer<R>
  }

  return { ...callsOf(contract), request, url, upload }
}

export type ApiClient = ReturnType<typeof createApiClient>

/**
 * A call's answer with the settings version its ETag carries, for a call made with `ifMatch(version)`
 * that is refused with 409 `version.conflict` once the version is stale (销售阶段).
 */
export async function versioned<T>(call: (options: CallOptions) => Promise<T>) {
  let version: number | undefined
  const value = await call({ onHeaders: (headers) => (version = versionOfTag(headers)) })
  return { value, version }
}

/** The headers of a write that must find the settings still at `version` (none: no precondition). */
export const ifMatch = (version: number | undefined): Record<string, string> =>
  version === undefined ? {} : { 'if-match': `"${version}"` }

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
