/**
 * 扫码登录 over HTTP, with the emulator as DingTalk: the login URL, DingTalk's redirect back with a code,
 * and the code's exchange for the same session as the in-app login. A stranger, a code used twice, a
 * state that is not the server's or has expired, and a redirect to another site are refused.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { now, runningFrom, setClock } from '../../functions/core/clock.js'
import { useStack } from '../helpers/stack.js'

const t = useStack()

afterEach(() => setClock(undefined))

/** Starts a scan login returning to the app's own `/login`. */
async function start() {
  const redirect = encodeURIComponent(`${t.baseUrl}/login`)
  const { status, json } = await t.http('GET', `/api/auth/dingtalk-login-url?redirect=${redirect}`)
  expect(status).toBe(200)
  return json as { url: string; state: string }
}

/** What DingTalk does when `unionId` scans: back to the redirect with a code and the state. */
async function scan(url: string, unionId: string) {
  const confirm = new URL(url.replace('/oauth2/auth?', '/oauth2/auth/confirm?'))
  confirm.searchParams.set('unionId', unionId)
  const response = await fetch(confirm, { redirect: 'manual' })
  expect(response.status).toBe(302)
  const back = new URL(response.headers.get('location')!)
  return { back, authCode: back.searchParams.get('authCode')!, state: back.searchParams.get('state')! }
}

const exchange = (authCode: string, state: string) =>
  t.http('POST', '/api/auth/login/oauth', { body: { authCode, state } })

describe('扫码登录', () => {
  it('sends the browser to DingTalk’s OAuth2 page for this app, with a state', async () => {
    const { url, state } = await start()
    const page = new URL(url)
    expect(page.pathname).toBe('/dingtalk/login/oauth2/auth')
    expect(page.searchParams.get('client_id')).toBe('ding-demo-key')
    expect(page.searchParams.get('response_type')).toBe('code')
    expect(page.searchParams.get('redirect_uri')).toBe(`${t.baseUrl}/login`)
    expect(page.searchParams.get('state')).toBe(state)
    // DingTalk's page (here: the demo organisation in place of the QR code)
    expect(await (await fetch(url)).text()).toContain('王靓依')
  })

  it('signs a member of the company in, as the in-app login does', async () => {
    const { url } = await start()
    const { back, authCode, state } = await scan(url, 'union-sales1')
    expect(`${back.origin}${back.pathname}`).toBe(`${t.baseUrl}/login`)
    const { status, json } = await exchange(authCode, state)
    expect(status).toBe(200)
    expect(json.user).toMatchObject({ id: 'sales1', name: '王靓依', role: 'member' })
    const me = await t.http('GET', '/api/me', { token: json.token })
    expect(me.json).toMatchObject({ id: 'sales1', deptIds: ['201'] })
  })

  it('refuses someone who is not in the company, by name of the company', async () => {
    const { url } = await start()
    const { authCode, state } = await scan(url, 'union-stranger')
    const { status, json } = await exchange(authCode, state)
    expect(`${status} ${json.error.code}`).toBe('403 auth.not_member')
    expect(json.error.message).toContain('不是')
  })

  it('takes a code once', async () => {
    const { url } = await start()
    const { authCode, state } = await scan(url, 'union-sales2')
    expect((await exchange(authCode, state)).status).toBe(200)
    const again = await exchange(authCode, state)
    expect(`${again.status} ${again.json.error.code}`).toBe('401 auth.invalid')
  })

  it('refuses a state the server did not sign', async () => {
    const { url } = await start()
    const { authCode } = await scan(url, 'union-sales1')
    const { status, json } = await exchange(authCode, 'forged.state.value')
    expect(`${status} ${json.error.code}`).toBe('401 auth.invalid')
  })

  it('refuses a state older than ten minutes', async () => {
    const { url } = await start()
    const { authCode, state } = await scan(url, 'union-sales1')
    setClock(runningFrom(now() + 11 * 60_000))
    const { status, json } = await exchange(authCode, state)
    expect(`${status} ${json.error.code}`).toBe('401 auth.invalid')
  })

  it('does not send DingTalk’s code to another site', async () => {
    const redirect = encodeURIComponent('https://evil.example.com/login')
    const { status, json } = await t.http('GET', `/api/auth/dingtalk-login-url?redirect=${redirect}`)
    expect(`${status} ${json.error.code}`).toBe('400 auth.redirect_forbidden')
  })
})
