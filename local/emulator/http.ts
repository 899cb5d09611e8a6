/** Small HTTP pieces the emulator's handlers share. */
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { DemoOrg } from './demo-org.js'
import type { EmulatorState } from './state.js'

/** What a handler answers; `handle` writes it. */
export interface Reply {
  status: number
  body: unknown
  /** extra response headers (`location` of a redirect) */
  headers?: Record<string, string>
}

export interface EmulatorContext {
  state: EmulatorState
  org: DemoOrg
  now: () => number
  appKey: string
  appSecret: string
  agentId: string
}

export interface DingTalkRequest {
  method: string
  /** the path as on DingTalk's own host */
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  /** parsed JSON body; `undefined` when there was none, `INVALID_JSON` when it did not parse */
  body: unknown
}

export const INVALID_JSON = Symbol('invalid json')
const MAX_BODY_BYTES = 1024 * 1024

export const requestId = (): string => randomUUID().toUpperCase()

// oapi answers HTTP 200 with errcode/errmsg, and a request_id like DingTalk's
export const oapiOk = (fields: Record<string, unknown> = {}): Reply => ({
  status: 200,
  body: { errcode: 0, errmsg: 'ok', ...fields, request_id: requestId().slice(0, 12).toLowerCase() },
})

export const oapiError = (errcode: number, errmsg: string): Reply => ({
  status: 200,
  body: { errcode, errmsg, request_id: requestId().slice(0, 12).toLowerCase() },
})

// the api host answers errors as HTTP 4xx/5xx with {code, message, requestid}
export const apiError = (status: number, code: string, message: string): Reply => ({
  status,
  body: { code, message, requestid: requestId() },
})

/** the project's own error shape, for the `__` helpers that are not DingTalk's */
export const helperError = (status: number, code: string, message: string): Reply => ({
  status,
  body: { error: { code, message } },
})

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > MAX_BODY_BYTES) return INVALID_JSON
    chunks.push(buffer)
  }
  if (size === 0) return undefined
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown
  } catch {
    return INVALID_JSON
  }
}

export function sendReply(res: ServerResponse, reply: Reply): void {
  // a client that timed out has gone; nothing to answer
  if (res.destroyed || res.writableEnded) return
  const isText = typeof reply.body === 'string'
  const payload = isText ? (reply.body as string) : JSON.stringify(reply.body ?? {})
  res.writeHead(reply.status, {
    'content-type': isText ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...reply.headers,
  })
  res.end(payload)
}
