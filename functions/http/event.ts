import type { MiddlewareObj } from '@middy/core'
import type { Session } from '../core/context.js'
import type { AppError } from '../core/errors.js'

/**
 * The one request shape handlers see: API Gateway v2's (which `@middy/http-router` understands), plus
 * what our middlewares add. Function Compute 3 events are converted into it.
 */
export interface ApiEvent {
  version: '2.0'
  rawPath: string
  rawQueryString: string
  /** lower-cased names */
  headers: Record<string, string>
  queryStringParameters: Record<string, string>
  pathParameters?: Record<string, string>
  body?: string
  isBase64Encoded: boolean
  requestContext: { requestId: string; http: { method: string; path: string; sourceIp?: string } }
  /** parsed JSON body (jsonBody middleware) */
  json?: unknown
  /** verified caller (authenticate middleware) */
  session?: Session
  /** why a presented token was refused */
  authError?: AppError
}

export interface ApiResponse {
  statusCode: number
  headers: Record<string, string>
  body: string
  isBase64Encoded?: boolean
}

/** Function Compute 3 HTTP trigger event (built-in runtimes): delivered as a Buffer, `version: "v1"`. */
interface Fc3Event {
  version: 'v1'
  rawPath: string
  body?: string
  isBase64Encoded?: boolean
  headers?: Record<string, string>
  queryParameters?: Record<string, string>
  requestContext?: { requestId?: string; http?: { method?: string; path?: string; sourceIp?: string } }
}

interface ApiGatewayV2Event {
  version: '2.0'
  rawPath: string
  rawQueryString?: string
  headers?: Record<string, string>
  queryStringParameters?: Record<string, string>
  body?: string
  isBase64Encoded?: boolean
  requestContext: { requestId?: string; http: { method: string; path: string; sourceIp?: string } }
}

const lowerCaseKeys = (headers: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]))

export function toApiEvent(raw: unknown): ApiEvent {
  const parsed = (
    Buffer.isBuffer(raw) ? JSON.parse(raw.toString('utf8')) : typeof raw === 'string' ? JSON.parse(raw) : raw
  ) as Fc3Event | ApiGatewayV2Event
  if (parsed.version === 'v1') {
    const query = parsed.queryParameters ?? {}
    const path = parsed.requestContext?.http?.path ?? decodeURIComponent(parsed.rawPath)
    return {
      version: '2.0',
      rawPath: parsed.rawPath,
      rawQueryString: new URLSearchParams(query).toString(),
      headers: lowerCaseKeys(parsed.headers),
      queryStringParameters: query,
      body: parsed.body,
      isBase64Encoded: parsed.isBase64Encoded ?? false,
      requestContext: {
        requestId: parsed.requestContext?.requestId ?? '',
        http: {
          method: parsed.requestContext?.http?.method ?? 'GET',
          path,
          sourceIp: parsed.requestContext?.http?.sourceIp,
        },
      },
    }
  }
  if (parsed.version === '2.0') {
    return {
      ...parsed,
      rawQueryString: parsed.rawQueryString ?? '',
      headers: lowerCaseKeys(parsed.headers),
      queryStringParameters: parsed.queryStringParameters ?? {},
      isBase64Encoded: parsed.isBase64Encoded ?? false,
      requestContext: { ...parsed.requestContext, requestId: parsed.requestContext.requestId ?? '' },
    }
  }
  throw new Error('Unknown HTTP event format: expected FC3 (version v1) or API Gateway v2 (version 2.0)')
}

/** Normalises the incoming event in place, so the rest of the stack sees one shape. */
export const eventAdapter = (): MiddlewareObj<ApiEvent, ApiResponse> => ({
  before: (request) => {
    request.event = toApiEvent(request.event)
  },
})
