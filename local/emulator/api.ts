/**
 * The `api.dingtalk.com` (v1.0) endpoints the backend calls. Conventions as DingTalk's: the token in the
 * `x-acs-dingtalk-access-token` header, errors as HTTP 4xx with `{code, message, requestid}`.
 */
import * as z from 'zod'
import { robotMsgKeys, robotMsgParams, type RobotMsgKey } from '../../functions/dingtalk/schemas.js'
import { findUser } from './demo-org.js'
import { apiError, INVALID_JSON, type DingTalkRequest, type EmulatorContext, type Reply } from './http.js'
import { describeRobotMessage } from './messages.js'
import { issueToken, tokenStatus } from './oapi.js'
import { contactMe, userAccessToken } from './oauth.js'
import { handleTodo } from './todos.js'
import { newId, ROBOT_BLOCK_MS, TOKEN_TTL_SECONDS, type MessageKind } from './state.js'

/** DingTalk's throttling answer on the v1.0 host (per app × API) */
export const THROTTLED = {
  status: 403,
  code: 'Forbidden.AccessDenied.QpsLimitForAppkeyAndApi',
} as const

type Handler = (ctx: EmulatorContext, req: DingTalkRequest) => Reply

const invalidParameter = (code: string, message: string) => apiError(400, code, message)

const accessToken: Handler = (ctx, req) => {
  const body = z.object({ appKey: z.string(), appSecret: z.string() }).safeParse(req.body)
  if (!body.success || body.data.appKey !== ctx.appKey || body.data.appSecret !== ctx.appSecret) {
    return apiError(400, 'InvalidAuthentication', 'appKey或appSecret不正确')
  }
  if (!ctx.state.tokenRequests.tryHit(ctx.appKey, ctx.now())) {
    return apiError(THROTTLED.status, THROTTLED.code, '应用调用该接口的频率超过限制，请稍后重试')
  }
  return { status: 200, body: { accessToken: issueToken(ctx, ctx.appKey), expireIn: TOKEN_TTL_SECONDS } }
}

type RobotPayload = { msgKey: RobotMsgKey; param: Record<string, unknown> }

/** checks robotCode, msgKey and the JSON-string msgParam the way the robot API reports them */
function robotPayload(ctx: EmulatorContext, body: Record<string, unknown>): RobotPayload | Reply {
  if (!body.robotCode) return invalidParameter('invalidParameter.robotCode.empty', 'robotCode 不能为空')
  if (body.robotCode !== ctx.appKey) {
    return invalidParameter('invalidParameter.robotCode.notExsit', '机器人不存在')
  }
  const msgKey = body.msgKey
  if (typeof msgKey !== 'string' || !robotMsgKeys.includes(msgKey as RobotMsgKey)) {
    return invalidParameter('invalidParameter.msgKey.invalid', 'msgKey 不合法')
  }
  let raw: unknown
  try {
    raw = typeof body.msgParam === 'string' ? JSON.parse(body.msgParam) : undefined
  } catch {
    raw = undefined
  }
  const param = robotMsgParams[msgKey as RobotMsgKey].safeParse(raw)
  if (!param.success) return invalidParameter('invalidParameter.msgParam.invalid', 'msgParam 不合法')
  return { msgKey: msgKey as RobotMsgKey, param: raw as Record<string, unknown> }
}

const isReply = (value: object): value is Reply => 'status' in value

function record(
  ctx: EmulatorContext,
  kind: MessageKind,
  to: { userIds?: string[]; chatId?: string; openConversationId?: string },
  p: RobotPayload,
) {
  const robotCode = ctx.appKey
  ctx.state.messages.push({
    id: newId(),
    kind,
    to: { ...to, robotCode },
    ...describeRobotMessage(p.msgKey, p.param),
    msg: { msgKey: p.msgKey, msgParam: p.param },
    at: new Date(ctx.now()).toISOString(),
  })
}

/**
 * 20 messages a minute per robot and group chat; the 21st is refused and the robot stays throttled in
 * that chat for 10 minutes (DingTalk's documented robot limit), answered as the v1.0 host answers
 * throttling.
 */
function robotThrottled(ctx: EmulatorContext, robotCode: string, chatId: string): boolean {
  const now = ctx.now()
  const { state } = ctx
  const key = `${robotCode}|${chatId}`
  if ((state.robotBlockedUntil.get(key) ?? 0) > now) return true
  if (state.robotMessages.tryHit(key, now)) return false
  state.robotBlockedUntil.set(key, now + ROBOT_BLOCK_MS)
  return true
}

const groupSend: Handler = (ctx, req) => {
  const body = (req.body ?? {}) as Record<string, unknown>
  const payload = robotPayload(ctx, body)
  if (isReply(payload)) return payload
  const chatId = body.openConversationId
  if (typeof chatId !== 'string' || !chatId) {
    return invalidParameter('miss.openConversationId', 'openConversationId 不能为空')
  }
  if (!chatId.startsWith('cid'))
    return invalidParameter('invalid.openConversationId', 'openConversationId 不合法')
  if (robotThrottled(ctx, ctx.appKey, chatId)) {
    return apiError(THROTTLED.status, THROTTLED.code, 'send too fast, exceed 20 times per minute')
  }
  record(ctx, 'group', { chatId, openConversationId: chatId }, payload)
  return { status: 200, body: { processQueryKey: newId() } }
}

const oToSend: Handler = (ctx, req) => {
  const body = (req.body ?? {}) as Record<string, unknown>
  const payload = robotPayload(ctx, body)
  if (isReply(payload)) return payload
  const userIds = Array.isArray(body.userIds)
    ? body.userIds.filter((u): u is string => typeof u === 'string')
    : []
  if (userIds.length === 0) return invalidParameter('invalidParameter.userIds.empty', 'userIds 不能为空')
  if (userIds.length > 20) return invalidParameter('invalidParameter.userIds.overMax', 'userIds 最多 20 个')
  const known = userIds.filter((id) => findUser(ctx.org, id))
  if (known.length > 0) record(ctx, 'robot_o2o', { userIds: known }, payload)
  return {
    status: 200,
    body: {
      processQueryKey: newId(),
      invalidStaffIdList: userIds.filter((id) => !known.includes(id)),
      flowControlledStaffIdList: [],
    },
  }
}

const routes: Record<string, Handler> = {
  'POST /v1.0/robot/groupMessages/send': groupSend,
  'POST /v1.0/robot/oToMessages/batchSend': oToSend,
}

export function handleApi(ctx: EmulatorContext, req: DingTalkRequest): Reply {
  if (req.body === INVALID_JSON) return apiError(400, 'InvalidParameter', '请求体不是合法的 JSON')
  if (req.method === 'POST' && req.path === '/v1.0/oauth2/accessToken') return accessToken(ctx, req)
  // scan login: the code is the credential, then the user's own token (not the app's)
  if (req.method === 'POST' && req.path === '/v1.0/oauth2/userAccessToken') return userAccessToken(ctx, req)
  if (req.method === 'GET' && req.path === '/v1.0/contact/users/me') return contactMe(ctx, req)
  const handler = routes[`${req.method} ${req.path}`]
  const isTodo = req.path.startsWith('/v1.0/todo/')
  if (!handler && !isTodo) return apiError(404, 'NotFound', `不存在的接口 ${req.path}`)
  const header = req.headers['x-acs-dingtalk-access-token']
  const status = tokenStatus(ctx, Array.isArray(header) ? header[0] : header)
  if (status !== 'ok') return apiError(401, 'InvalidAuthentication', '不合法的access_token')
  if (handler) return handler(ctx, req)
  return handleTodo(ctx, req) ?? apiError(404, 'NotFound', `不存在的接口 ${req.path}`)
}
