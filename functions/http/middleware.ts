import type { MiddlewareObj } from '@middy/core'
import httpCors, { type Options as CorsOptions } from '@middy/http-cors'
import { config } from '../core/config.js'
import { currentRequest } from '../core/context.js'
import { AppError, routeNotFound } from '../core/errors.js'
import { log } from '../core/log.js'
import { parseJson } from '../core/validate.js'
import type { ApiEvent, ApiResponse } from './event.js'
import { isMultipart } from './multipart.js'
import { verifySession } from '../core/session.js'

type Middleware = MiddlewareObj<ApiEvent, ApiResponse>

export const json = (
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): ApiResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
})

/** Errors from middy itself (http-router's 404, ...) carry a status and an `expose` flag. */
interface HttpishError {
  statusCode?: number
  status?: number
  expose?: boolean
  message?: string
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error
  const e = error as HttpishError
  const status = e?.statusCode ?? e?.status
  if (status === 404) return routeNotFound()
  if (status === 405) return new AppError(405, 'route.method_not_allowed', '不支持该请求方法')
  if (status && status < 500 && e.expose !== false)
    return new AppError(status, 'request.invalid', e.message ?? '请求无效')
  return new AppError(500, 'internal', '服务器内部错误，请稍后重试')
}

/** The one place errors become responses: `{ error: { code, message, details } }`; 5xx hide their cause. */
export function errorResponse(cause: unknown): ApiResponse {
  const error = toAppError(cause)
  if (error.status >= 500) {
    log('error', 'request failed', { error: (cause as Error)?.message, stack: (cause as Error)?.stack })
  }
  return json(error.status, {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details !== undefined && { details: error.details }),
    },
  })
}

export const errorHandler = (): Middleware => ({
  onError: (request) => {
    request.response = errorResponse(request.error)
  },
})

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])

/** Parses a JSON body with a size limit (413), a media type check (415) and a clear 400 on bad JSON. */
export const jsonBody = (opts: { maxBytes?: () => number } = {}): Middleware => {
  const { maxBytes } = { maxBytes: config.maxBodyBytes, ...opts }
  return {
    before: (request) => {
      const event = request.event
      if (!BODY_METHODS.has(event.requestContext.http.method) || !event.body) return
      // uploads are the route's to read, with its own limit (route.ts `multipart`)
      if (isMultipart(event.headers['content-type'])) return
      const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8')
      if (raw.byteLength > maxBytes()) {
        throw new AppError(413, 'request.too_large', `请求体过大（上限 ${Math.floor(maxBytes() / 1024)} KB）`)
      }
      const type = event.headers['content-type'] ?? ''
      if (!/^application\/(.+\+)?json\b/i.test(type)) {
        throw new AppError(
          415,
          'request.unsupported_media_type',
          '请求体须为 JSON（Content-Type: application/json）',
        )
      }
      event.json = parseJson(raw.toString('utf8'))
    },
  }
}

/** Verifies a bearer token if one is presented; routes decide whether they need one. */
export const authenticate = (): Middleware => ({
  before: async (request) => {
    const header = request.event.headers.authorization
    if (!header) return
    const match = /^Bearer\s+(.+)$/i.exec(header)
    try {
      if (!match) throw new AppError(401, 'auth.invalid', 'Authorization 须为 Bearer <token>')
      request.event.session = await verifySession(match[1])
    } catch (error) {
      request.event.authError = error as AppError
    }
  },
})

/**
 * One JSON log line per request, and in local mode a standard `Server-Timing` header with the DynamoDB
 * calls and capacity the request used, and apart from them the calls of the directory check that
 * authenticated it (benchmarks and tests read it).
 */
export const accessLog = (): Middleware => {
  const finish = (request: { event: ApiEvent; response: ApiResponse | null }) => {
    const state = currentRequest()
    const response = request.response
    if (!state || !response) return
    const { calls, rcu, wcu, ms } = state.ddb
    const { directory } = state
    const total = performance.now() - state.startedAt
    if (config.localMode()) {
      response.headers = {
        ...response.headers,
        'server-timing': [
          `ddb;desc="calls=${calls} rcu=${rcu} wcu=${wcu}";dur=${ms.toFixed(1)}`,
          `directory;desc="calls=${directory.calls}";dur=${directory.ms.toFixed(1)}`,
          `total;dur=${total.toFixed(1)}`,
        ].join(', '),
      }
    }
    response.headers = { ...response.headers, 'x-request-id': state.requestId }
    log('info', 'request', {
      method: request.event.requestContext?.http?.method,
      path: request.event.rawPath,
      status: response.statusCode,
      ms: Number(total.toFixed(1)),
      ddb: { calls, rcu, wcu },
      directoryCalls: directory.calls,
      user: request.event.session?.userId,
      tenant: request.event.session?.tenantId,
    })
  }
  return { after: finish, onError: finish }
}

/** An origin of ALLOWED_ORIGINS (read per request: configuration is never read at import). */
export const isAllowedOrigin = (origin: string | undefined): origin is string =>
  !!origin && config.allowedOrigins().includes(origin)

/**
 * CORS for the configured H5 origins only: an allowed origin is echoed back, any other gets no
 * `Access-Control-Allow-Origin`, so its page cannot read the answer (its preflight is refused: route.ts).
 */
export const cors = (): Middleware => {
  // `vary` is an option of http-cors that its types leave out
  const options: CorsOptions & { vary: string } = {
    // '' (falsy) adds no header
    getOrigin: (origin) => (isAllowedOrigin(origin) ? origin : ''),
    // the answer differs per origin: caches must key on it
    vary: 'Origin',
    headers: 'authorization,content-type,idempotency-key,if-match',
    // the H5 app reads a settings page's version from ETag (sent back as If-Match)
    exposeHeaders: 'etag',
    maxAge: 600,
  }
  return httpCors(options)
}
