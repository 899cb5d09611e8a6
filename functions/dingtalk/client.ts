/**
 * A small typed `fetch` client for the DingTalk endpoints this project calls (no SDK: `@alicloud/dingtalk`
 * covers only the v1.0 host and takes ~460 ms to require on a cold start). In production it talks to
 * DingTalk; in local mode and in tests its base URLs point at the emulator (`local/emulator`), so this
 * very code is what the tests exercise.
 *
 * Its errors and retries are errors.ts; the messages it sends, messages.ts.
 */
import * as z from 'zod'
import {
  apiErrorBody,
  asyncSendResponse,
  departmentDetail,
  groupMessageResponse,
  oapiEnvelope,
  oapiTokenResponse,
  oToBatchSendResponse,
  sendResult,
  subDepartment,
  subDepartmentIds,
  userDetail,
  userInfoByCode,
  userListPage,
  type DingTalkDepartment,
  type DingTalkListedUser,
  type DingTalkSubDepartment,
  type DingTalkUser,
  type OToBatchSendResult,
  type RobotMsgKey,
  type SendResult,
  type UserInfoByCode,
  type UserListPage,
  type WorkMessage,
} from './schemas.js'

import type { RetryPolicy } from './errors.js'
import {
  DingTalkError,
  isRetryableHttp,
  isRetryableOapiCode,
  isTokenError,
  realSleep,
  withRetry,
} from './errors.js'

export type { DingTalkDepartment, DingTalkListedUser, DingTalkSubDepartment, DingTalkUser, WorkMessage }
export type { OToBatchSendResult, RobotMsgKey, SendResult, UserInfoByCode, UserListPage }

// ---------- configuration ----------

export interface DingTalkConfig {
  oapiUrl: string
  apiUrl: string
  /** login.dingtalk.com: the OAuth2 page of 扫码登录 */
  loginUrl: string
  appKey: string
  appSecret: string
  agentId: string
  /** per request, then the request is aborted and counts as a retryable failure */
  timeoutMs: number
  /** attempts per call, the first included */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  /** `size` of `topapi/v2/user/list` pages (DingTalk allows at most 100) */
  userListPageSize: number
}

export interface DingTalkClientOptions extends Partial<DingTalkConfig> {
  fetch?: typeof fetch
  now?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

const configFromEnv = (env: NodeJS.ProcessEnv = process.env): DingTalkConfig => ({
  oapiUrl: env.DINGTALK_OAPI_URL || 'https://oapi.dingtalk.com',
  apiUrl: env.DINGTALK_API_URL || 'https://api.dingtalk.com',
  loginUrl: env.DINGTALK_LOGIN_URL || 'https://login.dingtalk.com',
  appKey: env.DINGTALK_APP_KEY ?? '',
  appSecret: env.DINGTALK_APP_SECRET ?? '',
  agentId: env.DINGTALK_AGENT_ID ?? '',
  timeoutMs: 5000,
  maxAttempts: 3,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  userListPageSize: 100,
})

// ---------- the client ----------

type Host = 'oapi' | 'api'

interface CallSpec<S extends z.ZodType> {
  host: Host
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** the path as on DingTalk's own host */
  path: string
  query?: Record<string, string>
  body?: unknown
  /** checks the answer: for oapi the whole body (envelope included), for api the body */
  schema: S
  /** false for the token endpoints themselves, and for calls made with a user's own token */
  auth?: boolean
  /** 扫码登录: the signed-in person's token (api host), in place of the app's */
  userToken?: string
  /**
   * false when a repeat would show twice (robot messages): a timed-out request may have been delivered,
   * so it is neither retried nor reported as retryable. Work notifications stay retryable: DingTalk
   * drops the same content to the same user within a day.
   */
  idempotent?: boolean
  /** attempts of this call (default the configuration's): 1 leaves retrying to the caller */
  maxAttempts?: number
  /**
   * a rate limiter each HTTP exchange goes through (DingTalk's per-app limits, limits.ts): a retry is a
   * call DingTalk counts, so it takes a slot of its own; the token and the answer's checks take none
   */
  limiter?: CallLimiter
}

/** runs one HTTP exchange when the rate allows it (limits.ts' WindowLimiter) */
export interface CallLimiter {
  run<T>(exchange: () => Promise<T>): Promise<T>
}

export const WORK_NOTIFICATION_MAX_USERS = 100
/** 5 minutes of margin before DingTalk's `expires_in` */
const TOKEN_MARGIN_MS = 5 * 60_000

export interface DingTalkClient {
  /** the resolved configuration (reads the environment on first use) */
  config(): DingTalkConfig
  getAccessToken(): Promise<string>
  getUserInfoByCode(code: string): Promise<UserInfoByCode>
  /** 扫码登录: DingTalk's page for the browser; it comes back to `redirect` with `authCode` and `state` */
  oauthPageUrl(redirect: string, state: string): string
  /** 扫码登录: the OAuth2 code DingTalk redirected back with → the person's own access token */
  userAccessToken(code: string): Promise<string>
  /** 扫码登录: who holds a user access token (their `unionId`) */
  contactMe(userToken: string): Promise<{ unionId: string; nick: string }>
  /** the company's userid of a unionId; errcode 60121 when the person is not in the company */
  userIdByUnionId(unionId: string): Promise<string>
  getUser(userId: string): Promise<DingTalkUser>
  listSubDepartments(deptId: number): Promise<DingTalkSubDepartment[]>
  listSubDepartmentIds(deptId: number): Promise<number[]>
  getDepartment(deptId: number): Promise<DingTalkDepartment>
  /** one page of a department's direct members */
  listDeptUsersPage(deptId: number, cursor?: number, size?: number): Promise<UserListPage>
  /** every direct member of a department, following `next_cursor` */
  listDeptUsers(deptId: number, options?: { pageSize?: number }): Promise<DingTalkListedUser[]>
  /** 工作通知 to at most 100 users → `task_id`. DingTalk drops a repeat of the same content the same day. */
  sendWorkNotification(
    input: { userIds: string[]; msg: WorkMessage },
    options?: { limiter?: CallLimiter },
  ): Promise<{ taskId: number }>
  getSendResult(taskId: number): Promise<SendResult>
  sendGroupMessage(input: {
    robotCode: string
    openConversationId: string
    msgKey: RobotMsgKey
    msgParam: object | string
  }): Promise<{ processQueryKey: string }>
  sendRobotOneToOne(input: {
    robotCode: string
    userIds: string[]
    msgKey: RobotMsgKey
    msgParam: object | string
  }): Promise<OToBatchSendResult>
  /** any v1.0 call with the app's token (retries, token renewal, zod-checked answer): todo.ts's calls */
  apiCall<S extends z.ZodType>(spec: ApiCallSpec<S>): Promise<z.output<S>>
}

export type ApiCallSpec<S extends z.ZodType> = Omit<CallSpec<S>, 'host' | 'auth' | 'userToken'>

/** wraps an oapi `result` schema in the envelope */
const oapiResult = <S extends z.ZodType>(result: S) => z.object({ errcode: z.literal(0), result })

export function createDingTalkClient(options: DingTalkClientOptions = {}): DingTalkClient {
  const { fetch: fetchImpl, now = Date.now, sleep = realSleep, random = Math.random, ...overrides } = options
  let resolved: DingTalkConfig | undefined
  const config = (): DingTalkConfig => {
    if (!resolved) {
      const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined))
      resolved = { ...configFromEnv(), ...defined }
    }
    return resolved
  }
  const policy = (): RetryPolicy => ({ ...config(), sleep, random })
  const doFetch = (input: string, init: RequestInit) => (fetchImpl ?? globalThis.fetch)(input, init)

  // ----- token: cached until 5 minutes before expiry; concurrent callers share one request -----
  let cached: { token: string; until: number } | undefined
  let inFlight: Promise<string> | undefined

  const token = (): Promise<string> => {
    if (cached && now() < cached.until) return Promise.resolve(cached.token)
    inFlight ??= fetchToken().finally(() => {
      inFlight = undefined
    })
    return inFlight
  }

  const fetchToken = async (): Promise<string> => {
    const { appKey, appSecret } = config()
    if (!appKey || !appSecret) {
      throw new DingTalkError('DINGTALK_APP_KEY / DINGTALK_APP_SECRET 未配置', {
        kind: 'config',
        retryable: false,
      })
    }
    const body = await attempt(
      {
        host: 'oapi',
        method: 'GET',
        path: '/gettoken',
        query: { appkey: appKey, appsecret: appSecret },
        schema: oapiTokenResponse,
        auth: false,
      },
      undefined,
    )
    cached = {
      token: body.access_token,
      until: now() + Math.max(0, body.expires_in * 1000 - TOKEN_MARGIN_MS),
    }
    return body.access_token
  }

  /** forget the token only if it is still the one that failed (another caller may have renewed it) */
  const dropToken = (failed: string) => {
    if (cached?.token === failed) cached = undefined
  }

  // ----- one HTTP exchange -----
  async function attempt<S extends z.ZodType>(spec: CallSpec<S>, accessToken: string | undefined) {
    const cfg = config()
    const base = spec.host === 'oapi' ? cfg.oapiUrl : cfg.apiUrl
    const query = new URLSearchParams(spec.query)
    if (spec.host === 'oapi' && accessToken) query.set('access_token', accessToken)
    const search = query.toString()
    const url = `${base.replace(/\/$/, '')}${spec.path}${search ? `?${search}` : ''}`
    const headers: Record<string, string> = { accept: 'application/json' }
    if (spec.body !== undefined) headers['content-type'] = 'application/json'
    if (spec.host === 'api' && accessToken) headers['x-acs-dingtalk-access-token'] = accessToken

    let response: Response
    let text: string
    // the timeout counts from the request, not from the wait for a slot
    const exchange = async () => {
      const answer = await doFetch(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: AbortSignal.timeout(cfg.timeoutMs),
      })
      return { answer, body: await answer.text() }
    }
    try {
      const { answer, body } = spec.limiter ? await spec.limiter.run(exchange) : await exchange()
      response = answer
      text = body
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
      const mayHaveLanded = timedOut && spec.idempotent === false
      const message = timedOut
        ? `钉钉接口超时 ${spec.path}${mayHaveLanded ? '（消息可能已送达，不重发）' : ''}`
        : `无法连接钉钉 ${spec.path}`
      throw new DingTalkError(message, {
        kind: timedOut ? 'timeout' : 'network',
        retryable: !mayHaveLanded,
        path: spec.path,
        cause: error,
      })
    }
    const json = parseJson(text)
    return spec.host === 'oapi'
      ? checkOapi(spec, response.status, json)
      : checkApi(spec, response.status, json, response.headers)
  }

  // ----- a call: retries with backoff; a rejected token is renewed once per attempt -----
  const call = <S extends z.ZodType>(spec: CallSpec<S>): Promise<z.output<S>> =>
    withRetry(
      async () => {
        if (spec.auth === false) return attempt(spec, spec.userToken)
        const first = await token()
        try {
          return await attempt(spec, first)
        } catch (error) {
          if (!isTokenError(error)) throw error
          dropToken(first)
          return attempt(spec, await token())
        }
      },
      spec.maxAttempts ? { ...policy(), maxAttempts: spec.maxAttempts } : policy(),
    )

  const oapiPost = <S extends z.ZodType>(path: string, body: unknown, schema: S) =>
    call({ host: 'oapi', method: 'POST', path, body, schema })

  const client: DingTalkClient = {
    config,
    getAccessToken: () => withRetry(token, policy()),

    getUserInfoByCode: async (code) =>
      (await oapiPost('/topapi/v2/user/getuserinfo', { code }, oapiResult(userInfoByCode))).result,

    oauthPageUrl: (redirect, state) => {
      const { loginUrl, appKey } = config()
      const query = new URLSearchParams({
        redirect_uri: redirect,
        response_type: 'code',
        client_id: appKey,
        scope: 'openid',
        state,
        prompt: 'consent',
      })
      return `${loginUrl.replace(/\/$/, '')}/oauth2/auth?${query}`
    },

    userAccessToken: async (code) =>
      (
        await call({
          host: 'api',
          method: 'POST',
          path: '/v1.0/oauth2/userAccessToken',
          body: {
            clientId: config().appKey,
            clientSecret: config().appSecret,
            code,
            grantType: 'authorization_code',
          },
          schema: z.object({ accessToken: z.string() }),
          auth: false,
          // a code is good once: an exchange that may have landed is not tried again
          idempotent: false,
        })
      ).accessToken,

    contactMe: (userToken) =>
      call({
        host: 'api',
        method: 'GET',
        path: '/v1.0/contact/users/me',
        schema: z.object({ unionId: z.string(), nick: z.string() }),
        auth: false,
        userToken,
      }),

    userIdByUnionId: async (unionId) =>
      (
        await oapiPost(
          '/topapi/user/getbyunionid',
          { unionid: unionId },
          oapiResult(z.object({ userid: z.string() })),
        )
      ).result.userid,

    getUser: async (userId) =>
      (await oapiPost('/topapi/v2/user/get', { userid: userId, language: 'zh_CN' }, oapiResult(userDetail)))
        .result,

    listSubDepartments: async (deptId) =>
      (
        await oapiPost(
          '/topapi/v2/department/listsub',
          { dept_id: deptId, language: 'zh_CN' },
          oapiResult(z.array(subDepartment)),
        )
      ).result,

    listSubDepartmentIds: async (deptId) =>
      (await oapiPost('/topapi/v2/department/listsubid', { dept_id: deptId }, oapiResult(subDepartmentIds)))
        .result.dept_id_list,

    getDepartment: async (deptId) =>
      (
        await oapiPost(
          '/topapi/v2/department/get',
          { dept_id: deptId, language: 'zh_CN' },
          oapiResult(departmentDetail),
        )
      ).result,

    listDeptUsersPage: async (deptId, cursor = 0, size = config().userListPageSize) =>
      (
        await oapiPost(
          '/topapi/v2/user/list',
          { dept_id: deptId, cursor, size: Math.min(size, 100), language: 'zh_CN' },
          oapiResult(userListPage),
        )
      ).result,

    listDeptUsers: async (deptId, opts = {}) => {
      const users: DingTalkListedUser[] = []
      let cursor = 0
      for (;;) {
        const page = await client.listDeptUsersPage(deptId, cursor, opts.pageSize)
        users.push(...page.list)
        if (!page.has_more) return users
        if (page.next_cursor === undefined || page.next_cursor === cursor) {
          throw new DingTalkError('user/list 分页游标无效', {
            kind: 'schema',
            retryable: false,
            errcode: 'schema.mismatch',
            path: '/topapi/v2/user/list',
          })
        }
        cursor = page.next_cursor
      }
    },

    sendWorkNotification: async ({ userIds, msg }, { limiter } = {}) => {
      const path = '/topapi/message/corpconversation/asyncsend_v2'
      if (userIds.length === 0 || userIds.length > WORK_NOTIFICATION_MAX_USERS) {
        throw new DingTalkError(`工作通知的接收人须为 1–${WORK_NOTIFICATION_MAX_USERS} 人`, {
          kind: 'config',
          retryable: false,
          path,
        })
      }
      const body = { agent_id: Number(config().agentId), userid_list: userIds.join(','), msg }
      const answer = await call({
        host: 'oapi',
        method: 'POST',
        path,
        body,
        schema: asyncSendResponse,
        limiter,
      })
      return { taskId: answer.task_id }
    },

    getSendResult: async (taskId) =>
      (
        await oapiPost(
          '/topapi/message/corpconversation/getsendresult',
          { agent_id: Number(config().agentId), task_id: taskId },
          z.object({ send_result: sendResult }),
        )
      ).send_result,

    sendGroupMessage: (input) =>
      call({
        host: 'api',
        method: 'POST',
        path: '/v1.0/robot/groupMessages/send',
        body: { ...input, msgParam: asJsonString(input.msgParam) },
        schema: groupMessageResponse,
        idempotent: false,
        // a retry takes a new slot of the group's 20 a minute: the outbox retries (groups.ts)
        maxAttempts: 1,
      }),

    sendRobotOneToOne: (input) =>
      call({
        host: 'api',
        method: 'POST',
        path: '/v1.0/robot/oToMessages/batchSend',
        body: { ...input, msgParam: asJsonString(input.msgParam) },
        schema: oToBatchSendResponse,
        idempotent: false,
      }),

    apiCall: (spec) => call({ ...spec, host: 'api' }),
  }
  return client
}

const asJsonString = (value: object | string) => (typeof value === 'string' ? value : JSON.stringify(value))

const parseJson = (text: string): unknown => {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined
  } catch {
    return undefined
  }
}

function checkOapi<S extends z.ZodType>(spec: CallSpec<S>, status: number, json: unknown): z.output<S> {
  const envelope = oapiEnvelope.safeParse(json)
  if (status !== 200 && !(envelope.success && envelope.data.errcode !== 0)) {
    throw new DingTalkError(`钉钉接口 HTTP ${status} ${spec.path}`, {
      kind: 'http',
      retryable: isRetryableHttp(status),
      httpStatus: status,
      path: spec.path,
    })
  }
  if (!envelope.success) throw schemaError(spec.path, envelope.error)
  const { errcode, errmsg, sub_code, sub_msg, request_id } = envelope.data
  if (errcode !== 0) {
    const subCode = sub_code === undefined ? undefined : String(sub_code)
    throw new DingTalkError(
      `${errmsg ?? '钉钉接口错误'}${sub_msg ? `（${sub_msg}）` : ''} [${errcode}] ${spec.path}`,
      {
        kind: 'api',
        retryable: isRetryableOapiCode(errcode, subCode),
        errcode,
        httpStatus: status,
        path: spec.path,
        requestId: request_id,
        subCode,
      },
    )
  }
  return parseWith(spec, json)
}

function checkApi<S extends z.ZodType>(
  spec: CallSpec<S>,
  status: number,
  json: unknown,
  headers: Headers,
): z.output<S> {
  if (status >= 400) {
    const body = apiErrorBody.safeParse(json)
    const code = body.success ? body.data.code : undefined
    throw new DingTalkError(
      `${(body.success && body.data.message) || `HTTP ${status}`} [${code ?? status}] ${spec.path}`,
      {
        kind: body.success ? 'api' : 'http',
        retryable: isRetryableHttp(status, code),
        errcode: code,
        httpStatus: status,
        path: spec.path,
        requestId: (body.success && body.data.requestid) || headers.get('x-acs-request-id') || undefined,
      },
    )
  }
  return parseWith(spec, json)
}

function parseWith<S extends z.ZodType>(spec: CallSpec<S>, json: unknown): z.output<S> {
  const parsed = spec.schema.safeParse(json)
  if (!parsed.success) throw schemaError(spec.path, parsed.error)
  return parsed.data
}

const schemaError = (path: string, error: z.ZodError) =>
  new DingTalkError(`钉钉接口返回的数据格式不符 ${path}: ${z.prettifyError(error)}`, {
    kind: 'schema',
    retryable: false,
    errcode: 'schema.mismatch',
    path,
    cause: error,
  })

// ---------- the default client ----------

let instance: DingTalkClient | undefined

/** The process-wide client, created on first use from the environment. */
export const dingtalk = (): DingTalkClient => (instance ??= createDingTalkClient())

/** Replace (or, with no argument, forget) the default client: for the local server and tests. */
export const setDingTalkClient = (client?: DingTalkClient): void => {
  instance = client
}
