import middy from '@middy/core'
import httpRouterHandler from '@middy/http-router'
import { randomUUID } from 'node:crypto'
import * as z from 'zod'
import { paramsSchema, type Params, type Route } from '../../shared/contract/route.js'
import type { FieldCollection } from '../../shared/schemas/fields.js'
import {
  currentRequest,
  type CustomFilter,
  type NewAttachment,
  newRequestState,
  runWithRequest,
  type Session,
} from '../core/context.js'
import { AppError, forbidden, routeNotFound } from '../core/errors.js'
import { validate } from '../core/validate.js'
import type { AnswerOnce } from '../core/idempotency.js'
import type { ApiEvent, ApiResponse } from './event.js'
import { eventAdapter } from './event.js'
import { accessLog, authenticate, cors, errorHandler, isAllowedOrigin, json, jsonBody } from './middleware.js'
import { isMultipart, type MultipartForm, parseMultipart } from './multipart.js'

/** What a bound verb receives: the route's input, parsed with its schemas, and the request around it. */
export interface RouteInput<R extends Route = Route> {
  body: R extends { body: z.ZodType } ? z.output<R['body']> : undefined
  query: R extends { query: z.ZodType } ? z.output<R['query']> : undefined
  /** the path parameters, parsed once (an `{id}` that is no id is a 404) */
  params: Params<R>
  session: Session
  event: ApiEvent
  /** the request's headers, names lower-cased (`if-match`...) */
  headers: Record<string, string>
  /** adds a header to the success answer (`etag`...) */
  setHeader(name: string, value: string): void
  /** the upload of a `multipart` route */
  form?: MultipartForm
}

/** What a handler returns to answer with a file instead of JSON (sent base64, `isBase64Encoded`). */
export interface BinaryBody {
  body: Buffer
  contentType: string
  filename: string
  /** shown in the browser (a print page) rather than saved */
  inline?: boolean
}
const isBinary = (result: unknown): result is BinaryBody =>
  !!result && typeof result === 'object' && Buffer.isBuffer((result as BinaryBody).body)

/** What only the server knows of a route: how it serves it. */
export interface Binding {
  /** the upload limit of a `multipart` route (413 beyond) */
  maxUploadBytes?: () => number
  /**
   * false: a POST whose writes commit on their own (an import's rows), so its answer is not remembered
   * under an Idempotency-Key (an answer already remembered under the key still replays)
   */
  rememberAnswer?: false
}

/** A declared route (shared/contract) bound to the verb that answers it. */
export interface ServedRoute extends Route, Binding {
  handler(input: RouteInput): Promise<unknown>
}

/** Binds a verb to a declaration: the declaration carries method, path, schemas, roles and status. */
export function serve<R extends Route>(
  declaration: R,
  handler: (input: RouteInput<R>) => Promise<unknown>,
  // an upload route must say how much it takes
  ...[binding]: R extends { multipart: true } ? [Binding & { maxUploadBytes: () => number }] : [Binding?]
): ServedRoute {
  return { ...declaration, ...binding, handler: handler as ServedRoute['handler'] }
}

// A route that declares no query (or no body) takes none: a parameter or field sent anyway is refused
// by name, as the strict shared schemas refuse one they do not know.
const Nothing = z.strictObject({})

const parse = <T>(schema: z.ZodType<T> | undefined, value: unknown): T =>
  validate<unknown>(schema ?? Nothing, value) as T

const IdempotencyKey = z.string().min(8).max(128)

/** The ETag of a versioned answer whose body has no room for `version` (an array). */
export const versionTag = (version: number) => `"${version}"`

/**
 * The version an `If-Match` asks for: undefined when absent or `*` (no precondition); anything that is
 * not one of our tags is NaN, which no version equals (so it fails as stale).
 */
export function ifMatchVersion(headers: Record<string, string>): number | undefined {
  const value = headers['if-match']?.trim()
  if (!value || value === '*') return undefined
  const match = /^(?:W\/)?"(\d+)"$/.exec(value)
  return match ? Number(match[1]) : NaN
}

/** What a verified token stands for now (the function's owner decides: the current directory). */
export type CurrentSession = (claims: Session) => Promise<Session>

/**
 * 字段管理 as the routes need it (the domain provides it): the tenant's definitions (a warm copy, read
 * before any write so the custom index entries know their fields), a create's or patch's `custom` checked,
 * a list's `custom.<key>` filters split off its query, an answer's custom money back to yuan.
 */
export interface FieldSeam<D = unknown> {
  load(session: Session): Promise<D>
  checkBody(definitions: D, collection: FieldCollection, body: unknown, partial: boolean): unknown
  listFilter(
    definitions: D,
    collection: FieldCollection,
    session: Session,
    query: Record<string, string | undefined> | null | undefined,
  ): { query: Record<string, string | undefined>; filter?: CustomFilter }
  answer(definitions: D, result: unknown): unknown
}

/**
 * What the function's owner provides: who a token stands for now, where POST answers are kept, and
 * whether the caller may make a record hold attachments it did not (throws a coded error otherwise).
 */
export interface FunctionSeams {
  currentSession: CurrentSession
  answerOnce: AnswerOnce
  fields?: FieldSeam
  mayAttach?: (session: Session, attachments: NewAttachment[]) => Promise<void>
}

/** Turns a route into an http-router entry: auth, roles, validation, idempotency, encoding. */
function toHandler(spec: ServedRoute, { currentSession, answerOnce, fields, mayAttach }: FunctionSeams) {
  const Params = paramsSchema(spec)
  return async (event: ApiEvent): Promise<ApiResponse> => {
    if (!spec.public) {
      if (event.authError) throw event.authError
      if (!event.session) throw new AppError(401, 'auth.required', '请先登录')
      const session = (event.session = await currentSession(event.session))
      if (spec.roles && !spec.roles.includes(session.role)) throw forbidden()
      const state = currentRequest()
      if (state && mayAttach) state.mayAttach = (attachments) => mayAttach(session, attachments)
    }
    const params = Params.safeParse(event.pathParameters ?? {})
    if (!params.success) throw routeNotFound()
    const multipart = isMultipart(event.headers['content-type']) && !!event.body
    if (multipart && !spec.multipart) {
      throw new AppError(
        415,
        'request.unsupported_media_type',
        '请求体须为 JSON（Content-Type: application/json）',
      )
    }
    const responseHeaders: Record<string, string> = {}
    const definitions = event.session && fields ? await fields.load(event.session) : undefined
    let rawQuery: Record<string, string | undefined> | null | undefined = event.queryStringParameters
    if (spec.fields && spec.method === 'GET' && fields) {
      const split = fields.listFilter(definitions, spec.fields, event.session!, rawQuery)
      rawQuery = split.query
      const state = currentRequest()
      if (state && split.filter) state.customFilter = split.filter
    }
    let body = parse(spec.body, event.json ?? {})
    if (spec.fields && (spec.method === 'POST' || spec.method === 'PATCH') && fields) {
      body = fields.checkBody(definitions, spec.fields, body, spec.method === 'PATCH')
    }
    const input = {
      body,
      query: parse(spec.query, rawQuery),
      params: params.data,
      session: event.session!,
      event,
      headers: event.headers,
      setHeader: (name, value) => {
        responseHeaders[name.toLowerCase()] = value
      },
      form: spec.multipart ? await parseMultipart(event, spec.maxUploadBytes!()) : undefined,
    } as RouteInput
    const status = spec.status ?? (spec.method === 'POST' ? 201 : 200)
    const idemHeader = event.headers['idempotency-key']
    let result: unknown
    if (spec.method === 'POST' && idemHeader && event.session) {
      const { tenantId, userId } = event.session
      const claim = {
        key: parse(IdempotencyKey, idemHeader),
        request: `${spec.method} ${event.rawPath}`,
        tenantId,
        userId,
        statusCode: status,
      }
      const answer = await answerOnce(claim, () => spec.handler(input), spec.rememberAnswer !== false)
      if (answer.replay) {
        const replayed =
          definitions !== undefined ? fields!.answer(definitions, answer.result) : answer.result
        return respond(spec, answer.statusCode, replayed, { 'idempotent-replay': 'true' })
      }
      result = answer.result
    } else {
      result = await spec.handler(input)
    }
    if (definitions !== undefined) result = fields!.answer(definitions, result)
    // a list read through the custom-field index has no kept count to answer
    const filtered = currentRequest()?.customFilter
    if (filtered && result && typeof result === 'object' && 'total' in result)
      result = { ...result, total: null }
    return respond(spec, status, result, responseHeaders)
  }
}

function respond(spec: ServedRoute, status: number, result: unknown, headers: Record<string, string> = {}) {
  if (status === 204) return { statusCode: 204, headers, body: '' }
  if (isBinary(result)) {
    return {
      statusCode: status,
      headers: {
        'content-type': result.contentType,
        'content-disposition': `${result.inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(result.filename)}`,
        ...headers,
      },
      body: result.body.toString('base64'),
      isBase64Encoded: true,
    }
  }
  return json(status, spec.response ? z.encode(spec.response, result) : result, headers)
}

/**
 * A deployable function: the shared middy stack around a router of routes. The same export runs on
 * Function Compute 3 (HTTP trigger), on API Gateway v2 / Lambda, and in the local server.
 */
export function createFunction(routes: ServedRoute[], seams: FunctionSeams) {
  const router = httpRouterHandler([
    ...routes.map((spec) => ({
      method: spec.method,
      path: spec.path,
      handler: toHandler(spec, seams),
    })),
    // CORS preflight for every path: http-cors adds the headers for an allowed origin; another is refused
    {
      method: 'OPTIONS' as const,
      path: '/{proxy+}',
      handler: async (event: ApiEvent) => {
        const origin = event.headers.origin
        if (origin && !isAllowedOrigin(origin)) {
          throw new AppError(
            403,
            'cors.origin_forbidden',
            `不允许来源 ${origin} 跨域访问（来源须在 ALLOWED_ORIGINS 中）`,
          )
        }
        return { statusCode: 204, headers: {}, body: '' }
      },
    },
  ] as Parameters<typeof httpRouterHandler>[0])
  const stack = middy<ApiEvent, ApiResponse>()
    .use(eventAdapter())
    .use(accessLog())
    .use(cors())
    .use(errorHandler())
    .use(jsonBody())
    .use(authenticate())
    .handler(router as unknown as (event: ApiEvent) => Promise<ApiResponse>)
  const handler = (event: unknown, context: unknown): Promise<ApiResponse> => {
    const requestId =
      (context as { requestId?: string; awsRequestId?: string } | undefined)?.requestId ??
      (context as { awsRequestId?: string } | undefined)?.awsRequestId ??
      randomUUID()
    return runWithRequest(newRequestState(requestId), () => stack(event as ApiEvent, context as never))
  }
  return Object.assign(handler, { routes })
}
