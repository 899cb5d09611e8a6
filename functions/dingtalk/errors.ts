/**
 * What DingTalk answers when a call fails, and which failures are worth another try.
 *
 * Error conventions (checked against DingTalk's docs, see DINGTALK.md):
 * - oapi host: HTTP 200 and `errcode != 0` is the error.
 * - api host (v1.0): HTTP 4xx/5xx with `{code, message, requestid}`.
 * Throttling answers (from 附录B「如何处理钉钉服务端API限流」, open.dingtalk.com/document/development/
 * how-to-process-api-throttling-on-the-dingtalk-server, and the getsendresult error table):
 * - oapi `90018` per app × API QPS, `90002` global per-API QPS, `90005`/`90006`/`90019` older per-minute
 *   and third-party QPS codes, `143103`/`143104` work-notification recipients per minute, `-1` 系统繁忙
 *   (the docs say: retry). `88` is 鉴权异常 with a `sub_code`; it is retried only when the `sub_code` is
 *   one of the throttling codes. `90020` (monthly quota) is not retryable.
 * - api host: HTTP 403 `Forbidden.AccessDenied.QpsLimitForAppkeyAndApi` (per app × API) and
 *   `Forbidden.AccessDenied.QpsLimitForApi` (global); also any 429 and 5xx.
 * - to-dos (待办, the create API's error table): HTTP 400 `todo.taskCreate.flowControlError` ("flowControl
 *   because of executorId or orgId": retry later) and `todo.taskCreate.lockError` (the sourceId's lock
 *   was busy); the other to-do APIs answer `todo.<api>.…` alike.
 */

// ---------- errors ----------

export type DingTalkFailure = 'api' | 'http' | 'network' | 'timeout' | 'schema' | 'config'

export class DingTalkError extends Error {
  /** oapi `errcode` (number) or api-host `code` (string); `schema.mismatch` when zod rejected the answer */
  readonly errcode?: number | string
  readonly httpStatus?: number
  readonly retryable: boolean
  readonly kind: DingTalkFailure
  /** the DingTalk path called, e.g. `/topapi/v2/user/get` */
  readonly path?: string
  readonly requestId?: string
  readonly subCode?: string

  constructor(
    message: string,
    init: {
      kind: DingTalkFailure
      retryable: boolean
      errcode?: number | string
      httpStatus?: number
      path?: string
      requestId?: string
      subCode?: string
      cause?: unknown
    },
  ) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause })
    this.name = 'DingTalkError'
    this.kind = init.kind
    this.retryable = init.retryable
    this.errcode = init.errcode
    this.httpStatus = init.httpStatus
    this.path = init.path
    this.requestId = init.requestId
    this.subCode = init.subCode
  }
}

export const isDingTalkError = (error: unknown): error is DingTalkError => error instanceof DingTalkError

/** 不存在的临时授权码: the auth code is unknown, already used or older than 5 minutes. */
export const INVALID_AUTH_CODE = 40078
export const isInvalidAuthCode = (error: unknown): boolean =>
  isDingTalkError(error) && error.errcode === INVALID_AUTH_CODE

/** oapi throttling / busy codes (see the header comment for the sources) */
export const OAPI_RETRYABLE_CODES: ReadonlySet<number> = new Set([
  -1, 90002, 90005, 90006, 90018, 90019, 143103, 143104,
])
/** api-host throttling codes (HTTP 403) */
export const API_THROTTLING_CODES: ReadonlySet<string> = new Set([
  'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
  'Forbidden.AccessDenied.QpsLimitForApi',
])
/** 40014 不合法的access_token, 42001 access_token超时 (oapi); `InvalidAuthentication` (api host) */
const TOKEN_ERRCODES: ReadonlySet<number | string> = new Set([40014, 42001, 'InvalidAuthentication'])

export const isTokenError = (error: unknown): boolean =>
  isDingTalkError(error) &&
  ((error.kind === 'api' && TOKEN_ERRCODES.has(error.errcode ?? '')) || error.httpStatus === 401)

export const isRetryableOapiCode = (errcode: number, subCode: string | undefined): boolean =>
  OAPI_RETRYABLE_CODES.has(errcode) || (errcode === 88 && OAPI_RETRYABLE_CODES.has(Number(subCode)))

/** `todo.taskCreate.flowControlError`, `todo.taskUpdate.lockError`… */
const TODO_RETRYABLE = /^todo\.[A-Za-z]+\.(flowControlError|lockError|systemError)$/

export const isRetryableHttp = (status: number, code?: string): boolean =>
  status >= 500 ||
  status === 429 ||
  (code !== undefined && (API_THROTTLING_CODES.has(code) || TODO_RETRYABLE.test(code)))

// ---------- retry ----------

export interface RetryPolicy {
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
  sleep: (ms: number) => Promise<void>
  random: () => number
}

/**
 * Exponential backoff with full jitter: before attempt n+1 wait `random() * min(cap, base * 2^(n-1))`.
 * Hand-written on purpose: no retry library is installed and this is ten lines.
 */
export async function withRetry<T>(fn: () => Promise<T>, policy: RetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn()
    } catch (error) {
      const retryable = isDingTalkError(error) && error.retryable
      if (!retryable || attempt >= policy.maxAttempts) throw error
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
      await policy.sleep(Math.floor(policy.random() * ceiling))
    }
  }
}

export const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
