import { createApiClient, fetchTransport, type Transport } from '../../shared/api/client.js'
import { corpIdFromUrl, inDingTalk, requestAuthCode } from './dingtalk.js'
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

/** Logs a demo user in through the local DingTalk emulator (what `dd.getAuthCode` would give them). */
export async function emulatorLogin(userId: string, corpId: string): Promise<void> {
  const { authCode } = await api.request<{ authCode: string }>('POST', '/dingtalk/__authcode', {
    body: { userId },
  })
  session.save(await api.auth.login({ authCode, corpId }), true)
}

export const api = createApiClient({
  baseUrl: import.meta.env.VITE_API_BASE ?? '',
  transport,
  getToken: session.token,
  relogin: inDingTalk() ? dingTalkLogin : undefined,
})
