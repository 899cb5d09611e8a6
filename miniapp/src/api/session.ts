import { createApiClient, type ApiClient } from '../../../shared/api/client.js'
import type { LoginResult, Me } from '../../../shared/schemas/index.js'
import { config } from '../config.js'
import { ddApi, ddCall } from '../host.js'
import { ddTransport } from './transport.js'

const STORAGE_KEY = 'crm.session'

let session: LoginResult | undefined
let loggingIn: Promise<LoginResult> | undefined
let client: ApiClient | undefined

function storedSession(): LoginResult | undefined {
  if (!session) {
    const { data } = ddApi().getStorageSync({ key: STORAGE_KEY }) ?? {}
    if (data && typeof data === 'object' && 'token' in data) session = data as LoginResult
  }
  return session
}

/** A failed 免登 (no DingTalk session, wrong corpId...), in words the launch page can show. */
export class AuthCodeError extends Error {
  constructor(detail?: string) {
    super(`钉钉免登失败${detail ? `：${detail}` : ''}`)
    this.name = 'AuthCodeError'
  }
}

/**
 * 免登: `dd.getAuthCode` → `POST /api/auth/login`. Requests that find the session expired at the same time
 * share one login.
 */
export function login(): Promise<LoginResult> {
  loggingIn ??= (async () => {
    const { corpId } = config
    const { authCode } = await ddCall<{ authCode: string }>((callbacks) =>
      ddApi().getAuthCode({ corpId, ...callbacks }),
    ).catch((error: { errorMessage?: string }) => {
      throw new AuthCodeError(error?.errorMessage)
    })
    // Its own client without `relogin`: a refused login must not log in again.
    const result = await createApiClient({
      baseUrl: config.apiBaseUrl,
      transport: ddTransport(ddApi),
    }).auth.login({ authCode, corpId })
    session = result
    ddApi().setStorageSync({ key: STORAGE_KEY, data: result })
    return result
  })().finally(() => {
    loggingIn = undefined
  })
  return loggingIn
}

export const currentUser = (): Me | undefined => storedSession()?.user

/** The session's bearer header, for what `dd.httpRequest` does not carry (a download, an upload). */
export const authHeader = (): Record<string, string> => {
  const token = storedSession()?.token
  return token ? { authorization: `Bearer ${token}` } : {}
}

/** The typed API client every page uses: dd.httpRequest, the session token, one re-login on a 401. */
export function api(): ApiClient {
  client ??= createApiClient({
    baseUrl: config.apiBaseUrl,
    transport: ddTransport(ddApi),
    getToken: () => storedSession()?.token,
    relogin: async () => (await login()).token,
  })
  return client
}
