/**
 * 扫码登录 (DINGTALK.md "Scan login"): the `login.dingtalk.com/oauth2/auth` page, where the demo users
 * stand in for the QR code, and the endpoints the backend calls after the redirect —
 * `POST /v1.0/oauth2/userAccessToken`, `GET /v1.0/contact/users/me` (both on the api host, the second
 * with the user's token) and `POST /topapi/user/getbyunionid` (oapi, the app's token; 60121 for someone
 * outside the company). A visitor who is not in the demo company is offered too, to be refused.
 */
import * as z from 'zod'
import type { DemoUser } from './demo-org.js'
import {
  apiError,
  oapiError,
  oapiOk,
  type DingTalkRequest,
  type EmulatorContext,
  type Reply,
} from './http.js'
import { AUTH_CODE_TTL_MS, newId, TOKEN_TTL_SECONDS } from './state.js'

/** someone with a DingTalk account who is not in the demo company */
export const STRANGER = { unionId: 'union-stranger', nick: '访客（非本企业成员）' } as const

const people = (ctx: EmulatorContext) => [
  ...ctx.org.users.map((u: DemoUser) => ({ unionId: u.unionId, nick: u.name, avatarUrl: u.avatar, user: u })),
  { ...STRANGER, avatarUrl: '', user: undefined },
]

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

const AuthQuery = z.object({
  redirect_uri: z.url(),
  response_type: z.literal('code'),
  client_id: z.string().min(1),
  scope: z.string().min(1),
  state: z.string().default(''),
})

/**
 * `GET /oauth2/auth`: the page DingTalk shows (here: a list instead of the QR code); choosing someone is
 * `GET /oauth2/auth/confirm?…&unionId=`, which redirects back with `authCode` and `state` as DingTalk does.
 */
export function handleLogin(ctx: EmulatorContext, req: DingTalkRequest): Reply {
  const query = AuthQuery.safeParse(Object.fromEntries(req.query))
  if (!query.success)
    return { status: 400, body: page('登录参数不正确', `<p>${escape(z.prettifyError(query.error))}</p>`) }
  if (query.data.client_id !== ctx.appKey)
    return { status: 400, body: page('应用不存在', '<p>client_id 不正确</p>') }
  if (req.path === '/oauth2/auth/confirm') {
    const unionId = req.query.get('unionId') ?? ''
    if (!people(ctx).some((p) => p.unionId === unionId))
      return { status: 400, body: page('没有这个用户', '') }
    const code = newId(16)
    ctx.state.oauthCodes.set(code, { unionId, expiresAt: ctx.now() + AUTH_CODE_TTL_MS })
    const back = new URL(query.data.redirect_uri)
    back.searchParams.set('authCode', code)
    back.searchParams.set('state', query.data.state)
    return { status: 302, body: '', headers: { location: back.toString() } }
  }
  const items = people(ctx)
    .map((p) => {
      const confirm = new URLSearchParams({ ...query.data, unionId: p.unionId })
      const title = p.user
        ? `${escape(p.user.title)} · ${p.user.userId}`
        : '不在「' + escape(ctx.org.corpName) + '」'
      return `<li><a class="login-user" href="auth/confirm?${escape(confirm.toString())}">
<strong>${escape(p.nick)}</strong><span> · ${title}</span></a></li>`
    })
    .join('\n')
  return {
    status: 200,
    body: page(
      '钉钉扫码登录',
      `<p class="hint">钉钉模拟器：这里本是二维码。选择用钉钉扫码的人：</p><ul class="login-users">${items}</ul>`,
    ),
  }
}

const page = (title: string, content: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font-family:sans-serif;max-width:420px;margin:40px auto;color:#171a1d}ul{list-style:none;padding:0}
li a{display:block;padding:12px;border-bottom:1px solid #eee;color:inherit;text-decoration:none}li a:hover{background:#f2f3f5}
.hint{color:#747677}</style></head>
<body><h1>${title}</h1>${content}</body></html>`

const UserTokenInput = z.object({
  clientId: z.string(),
  clientSecret: z.string(),
  code: z.string().min(1),
  grantType: z.literal('authorization_code'),
})

/** `POST /v1.0/oauth2/userAccessToken`: a code, once, for the user's own token. */
export function userAccessToken(ctx: EmulatorContext, req: DingTalkRequest): Reply {
  const body = UserTokenInput.safeParse(req.body)
  if (!body.success) return apiError(400, 'MissingParameter', '缺少参数')
  if (body.data.clientId !== ctx.appKey || body.data.clientSecret !== ctx.appSecret) {
    return apiError(400, 'InvalidAuthentication', 'clientId或clientSecret不正确')
  }
  const entry = ctx.state.oauthCodes.get(body.data.code)
  ctx.state.oauthCodes.delete(body.data.code)
  if (!entry || entry.expiresAt <= ctx.now()) return apiError(400, 'InvalidCode', '不合法的临时授权码')
  const accessToken = newId(16)
  ctx.state.userTokens.set(accessToken, {
    unionId: entry.unionId,
    expiresAt: ctx.now() + TOKEN_TTL_SECONDS * 1000,
  })
  return { status: 200, body: { accessToken, refreshToken: newId(16), expireIn: TOKEN_TTL_SECONDS } }
}

/** `GET /v1.0/contact/users/me` with the user's token. */
export function contactMe(ctx: EmulatorContext, req: DingTalkRequest): Reply {
  const header = req.headers['x-acs-dingtalk-access-token']
  const token = ctx.state.userTokens.get((Array.isArray(header) ? header[0] : header) ?? '')
  if (!token || token.expiresAt <= ctx.now())
    return apiError(401, 'InvalidAuthentication', '不合法的access_token')
  const person = people(ctx).find((p) => p.unionId === token.unionId)!
  return {
    status: 200,
    body: {
      nick: person.nick,
      unionId: person.unionId,
      openId: `open-${person.unionId}`,
      avatarUrl: person.avatarUrl,
    },
  }
}

/** `POST /topapi/user/getbyunionid`: the company's userid of a unionId, or 60121 for an outsider. */
export function userByUnionId(ctx: EmulatorContext, req: DingTalkRequest): Reply {
  const body = z.object({ unionid: z.string().min(1) }).safeParse(req.body)
  if (!body.success) return oapiError(40035, '不合法的参数：unionid')
  const user = ctx.org.users.find((u) => u.unionId === body.data.unionid)
  if (!user) return oapiError(60121, '找不到该用户')
  return oapiOk({ result: { contact_type: 0, userid: user.userId } })
}
