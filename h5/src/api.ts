import { createApiClient, fetchTransport, type Transport } from '../../shared/api/client.js'
import { corpIdFromUrl, inDingTalk, requestAuthCode } from './dingtalk.js'
import { fetchOrg } from './emulator.js'
import { session } from './session.js'

/** Fired when the session is gone (a 401 outside DingTalk): the app goes back to the login page. */
export const SIGNED_OUT = 'crm:signed-out'

const isLogin = (url: string) => url.includes('/api/auth/login')

/** fetch, plus: a 401 outside DingTalk ends the session (inside, `relogin` gets a fresh one silently) */
const transport: Transport = async (request) => {
  const response = await fetchTransport(request)
  if (response.status === 401 && !isLogin(request.url) && !inDingTalk()) {
    session.clear()
    window.dispatchEvent(new Event(SIGNED_OUT))
  }
  return response
}

/** Logs in inside DingTalk: JSAPI auth code → POST /api/auth/login. Returns the session token. */
export async function dingTalkLogin(): Promise<string> {
  const corpId = corpIdFromUrl()
  if (!corpId) throw new Error('缺少企业 corpId：请从钉钉工作台打开应用')
  const result = await api.auth.login({ authCode: await requestAuthCode(corpId), corpId })
  session.save(result, false)
  return result.token
}

const SCAN_STATE = 'crm.scan-login'

/**
 * 扫码登录, first half: sends the browser to DingTalk's login page (the emulator's in local mode), which
 * comes back to `/login` with a code. The state is kept in this tab to check that the return is ours.
 */
export async function startScanLogin(next: string): Promise<void> {
  const { url, state } = await api.auth.scanLoginUrl({ redirect: `${location.origin}/login` })
  sessionStorage.setItem(SCAN_STATE, JSON.stringify({ state, next }))
  location.assign(url)
}

/** The second half, on the return: the code for a session. Returns where the user was going. */
export async function finishScanLogin(authCode: string, state: string): Promise<string> {
  const started = JSON.parse(sessionStorage.getItem(SCAN_STATE) ?? 'null') as {
    state: string
    next: string
  } | null
  sessionStorage.removeItem(SCAN_STATE)
  if (started?.state !== state) throw new Error('登录请求不是从本页发起的，请重新扫码')
  const result = await api.auth.scanLogin({ authCode, state })
  // local mode: DingTalk is the emulator, whose inbox the home page links to
  session.save(result, (await fetchOrg()) !== undefined)
  return started.next
}

export const api = createApiClient({
  baseUrl: import.meta.env.VITE_API_BASE ?? '',
  transport,
  getToken: session.token,
  relogin: inDingTalk() ? dingTalkLogin : undefined,
})
