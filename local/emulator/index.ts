/**
 * A DingTalk emulator for local mode and tests: the same paths, shapes, errors and limits as DingTalk for
 * the endpoints the backend calls, a demo organisation, and a few `__` helpers. The production client
 * (`functions/dingtalk/client.ts`) is pointed at it, so what runs here is the code that runs in production.
 *
 * Mounting: the local server strips `/dingtalk` and calls `handle(req, res, path)`; `/oapi/...` is the
 * oapi host, `/api/...` the v1.0 host, `/login/...` login.dingtalk.com. Never part of a deployed build.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'
import * as z from 'zod'
import { handleApi } from './api.js'
import {
  createDemoOrg,
  DEMO_AGENT_ID,
  DEMO_APP_KEY,
  DEMO_APP_SECRET,
  findUser,
  type DemoOrg,
} from './demo-org.js'
import { apiError, helperError, readJson, sendReply, type EmulatorContext, type Reply } from './http.js'
import { handleOapi, issueAuthCode } from './oapi.js'
import { handleLogin } from './oauth.js'
import { todosOf } from './todos.js'
import { EmulatorState, type DeliveredMessage, type Fault, type MessageKind } from './state.js'

export {
  DEMO_AGENT_ID,
  DEMO_APP_KEY,
  DEMO_APP_SECRET,
  DEMO_CORP_ID,
  DEMO_ROBOT_CODE,
  DEPT,
  ROOT_DEPT_ID,
} from './demo-org.js'
export type { DemoChat, DemoDept, DemoOrg, DemoUser } from './demo-org.js'
export type { DeliveredMessage, Fault, MessageKind } from './state.js'
export {
  AUTH_CODE_TTL_MS,
  ROBOT_BLOCK_MS,
  ROBOT_MESSAGES_PER_MINUTE,
  TODO_CALLS_PER_SECOND,
  WORK_NOTIFICATION_CALLS_PER_SECOND,
  WORK_NOTIFICATIONS_PER_USER_DAY,
} from './state.js'

export interface Emulator {
  /** handles a request whose URL path has already had the `/dingtalk` prefix removed, e.g. `/oapi/gettoken`, `/api/v1.0/robot/groupMessages/send`, `/__authcode` */
  handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void>
  /** clears auth codes, delivered messages, faults, counters and limits (issued tokens stay valid) */
  reset(): void
  /** the demo organisation, for seeding and for the login page */
  org: DemoOrg
  /** what `dd.getAuthCode` would give this user (throws for an unknown user) */
  authCode(userId: string): string
  /** delivered messages and cards, newest first */
  messages(filter?: { userId?: string; kind?: MessageKind; chatId?: string }): DeliveredMessage[]
  /** how often a DingTalk path (as on its own host, e.g. `/gettoken`) was called since the last reset */
  calls(path: string): number
  /** of those calls, how many were answered with the rate-limit error (90018) */
  throttled(path: string): number
  /** every token issued so far is answered as expired from now on (oapi 42001, api 401) */
  expireTokens(): void
  /** to-dos (the demo user's when given: executor or creator), newest first */
  todos(userId?: string): ReturnType<typeof todosOf>
}

export interface EmulatorOptions {
  now?: () => number
  appKey?: string
  appSecret?: string
  agentId?: string
}

const faultInput = z.object({
  path: z.string().min(1),
  status: z.number().int().min(200).max(599).default(200),
  count: z.number().int().min(1).default(1),
  errcode: z.union([z.number().int(), z.string().min(1)]).optional(),
  errmsg: z.string().optional(),
  delayMs: z.number().int().min(0).max(120_000).optional(),
  body: z.unknown().optional(),
  after: z.boolean().optional(),
  every: z.number().int().min(1).optional(),
  phase: z.number().int().min(0).optional(),
})

/** DingTalk's own paths never start with these, so a prefixed path is forgiven */
const dingTalkPath = (path: string): string =>
  path
    .split('?')[0]
    .replace(/^\/dingtalk(?=\/)/, '')
    .replace(/^\/(oapi|api)(?=\/)/, '') || '/'

const defaultErrmsg: Record<number, string> = {
  [-1]: '系统繁忙',
  90002: '当前所有钉钉应用调用该接口次数过多，请求被暂时限制了',
  90018: '当前应用调用该接口的频率超过限制，请稍后重试',
}

const apiCodeFor = (status: number): string =>
  ({
    400: 'InvalidParameter',
    401: 'InvalidAuthentication',
    403: 'Forbidden',
    404: 'NotFound',
    429: 'Throttling',
  })[status] ?? (status >= 500 ? 'ServiceUnavailable' : 'Error')

export function createEmulator(options: EmulatorOptions = {}): Emulator {
  const state = new EmulatorState()
  const org = createDemoOrg()
  const ctx: EmulatorContext = {
    state,
    org,
    now: options.now ?? Date.now,
    appKey: options.appKey ?? DEMO_APP_KEY,
    appSecret: options.appSecret ?? DEMO_APP_SECRET,
    agentId: options.agentId ?? DEMO_AGENT_ID,
  }

  const authCode = (userId: string): string => {
    if (!findUser(org, userId)) throw new Error(`演示组织中没有用户 ${userId}`)
    return issueAuthCode(ctx, userId)
  }

  const messages = (
    filter: { userId?: string; kind?: MessageKind; chatId?: string } = {},
  ): DeliveredMessage[] =>
    state.messages
      .filter((m) => !filter.userId || m.to.userIds?.includes(filter.userId))
      .filter((m) => !filter.chatId || m.to.chatId === filter.chatId)
      .filter((m) => !filter.kind || m.kind === filter.kind)
      .reverse()

  /** a fault answers instead of DingTalk, or (delay only) delays the real answer */
  async function applyFault(host: 'oapi' | 'api', fault: Fault): Promise<Reply | undefined> {
    if (fault.delayMs) await delay(fault.delayMs)
    if (fault.body !== undefined) return { status: fault.status, body: fault.body }
    if (fault.errcode !== undefined) {
      const errmsg = fault.errmsg ?? defaultErrmsg[Number(fault.errcode)] ?? '模拟的错误'
      return host === 'oapi'
        ? { status: fault.status, body: { errcode: Number(fault.errcode), errmsg } }
        : apiError(fault.status, String(fault.errcode), errmsg)
    }
    if (fault.status === 200) return undefined
    // the oapi host's gateway answers an HTTP failure with a page, not an errcode
    return host === 'oapi'
      ? { status: fault.status, body: `<html><body><h1>${fault.status}</h1>模拟的故障</body></html>` }
      : apiError(fault.status, apiCodeFor(fault.status), fault.errmsg ?? '模拟的故障')
  }

  async function helper(req: IncomingMessage, method: string, path: string, query: URLSearchParams) {
    const route = `${method} ${path}`
    if (route === 'POST /__authcode') {
      const body = z.object({ userId: z.string() }).safeParse(await readJson(req))
      if (!body.success) return helperError(400, 'validation.failed', '需要 userId')
      if (!findUser(org, body.data.userId)) return helperError(404, 'user.not_found', '演示组织中没有该用户')
      return { status: 200, body: { authCode: authCode(body.data.userId) } }
    }
    if (route === 'GET /__messages') {
      const kind = query.get('kind') as MessageKind | null
      return {
        status: 200,
        body: {
          items: messages({
            userId: query.get('userId') ?? undefined,
            kind: kind ?? undefined,
            chatId: query.get('openConversationId') ?? undefined,
          }),
        },
      }
    }
    if (route === 'GET /__todos') {
      return { status: 200, body: { items: todosOf(ctx, query.get('userId') ?? undefined) } }
    }
    if (route === 'POST /__faults') {
      const body = faultInput.safeParse(await readJson(req))
      if (!body.success) return helperError(400, 'validation.failed', z.prettifyError(body.error))
      state.faults.push({ ...body.data, path: dingTalkPath(body.data.path) })
      return { status: 200, body: { items: state.faults } }
    }
    if (route === 'GET /__faults') return { status: 200, body: { items: state.faults } }
    if (route === 'DELETE /__faults') {
      state.faults.length = 0
      return { status: 200, body: { items: [] } }
    }
    if (route === 'POST /__reset') {
      state.reset()
      return { status: 200, body: { ok: true } }
    }
    if (route === 'GET /__org') return { status: 200, body: org }
    return helperError(404, 'not_found', `没有这个模拟器接口 ${route}`)
  }

  async function route(req: IncomingMessage, rawPath: string): Promise<Reply> {
    const url = new URL(rawPath.startsWith('/') ? rawPath : `/${rawPath}`, 'http://emulator')
    // the query may be on `path` or only on the original request URL
    const query = url.search ? url.searchParams : new URL(req.url ?? '/', 'http://emulator').searchParams
    const method = (req.method ?? 'GET').toUpperCase()
    const pathname = url.pathname
    if (pathname.startsWith('/__')) return helper(req, method, pathname, query)

    if (pathname.startsWith('/login/')) {
      // login.dingtalk.com: pages a browser opens, not an API
      return handleLogin(ctx, {
        method,
        path: pathname.slice('/login'.length),
        query,
        headers: req.headers,
        body: undefined,
      })
    }
    const host = pathname.startsWith('/oapi/') ? 'oapi' : pathname.startsWith('/api/') ? 'api' : undefined
    if (!host) return helperError(404, 'not_found', '路径须以 /login/、/oapi/ 或 /api/ 开头')
    const path = pathname.slice(host.length + 1)
    const body = method === 'GET' || method === 'HEAD' ? undefined : await readJson(req)
    state.countCall(path)
    const fault = state.takeFault(path)
    const dingTalkRequest = { method, path, query, headers: req.headers, body }
    const answer = () =>
      host === 'oapi' ? handleOapi(ctx, dingTalkRequest) : handleApi(ctx, dingTalkRequest)
    if (fault?.after) {
      // the call lands, then its answer is lost (a timeout or a gateway error after DingTalk acted)
      const landed = answer()
      return (await applyFault(host, fault)) ?? landed
    }
    const injected = fault && (await applyFault(host, fault))
    if (injected) return injected
    return answer()
  }

  return {
    org,
    authCode,
    messages,
    calls: (path) => state.calls.get(dingTalkPath(path)) ?? 0,
    throttled: (path) => state.throttled.get(dingTalkPath(path)) ?? 0,
    expireTokens: () => {
      for (const token of state.tokens.values()) token.expiresAt = Number.NEGATIVE_INFINITY
    },
    reset: () => state.reset(),
    todos: (userId) => todosOf(ctx, userId),
    async handle(req, res, path) {
      let reply: Reply
      try {
        reply = await route(req, path)
      } catch (error) {
        reply = helperError(500, 'emulator.failed', error instanceof Error ? error.message : String(error))
      }
      sendReply(res, reply)
    },
  }
}
