/**
 * The `oapi.dingtalk.com` endpoints the backend calls. Conventions as DingTalk's: `?access_token=` in the
 * query, HTTP 200 with `{errcode, errmsg}`, `errcode != 0` on failure.
 */
import * as z from 'zod'
import { workMessage, type WorkMessage } from '../../functions/dingtalk/schemas.js'
import { childDepts, deptMembers, findDept, findUser, type DemoUser } from './demo-org.js'
import {
  INVALID_JSON,
  oapiError,
  oapiOk,
  type DingTalkRequest,
  type EmulatorContext,
  type Reply,
} from './http.js'
import { describeWorkMessage } from './messages.js'
import { userByUnionId } from './oauth.js'
import {
  AUTH_CODE_TTL_MS,
  chinaDay,
  contentHash,
  newId,
  TOKEN_TTL_SECONDS,
  WORK_NOTIFICATIONS_PER_USER_DAY,
  type SendTask,
} from './state.js'

// errcodes as DingTalk answers them
export const ERR = {
  systemBusy: -1,
  invalidToken: 40014,
  tokenExpired: 42001,
  invalidParam: 40035,
  invalidAuthCode: 40078,
  invalidAppKey: 40089,
  invalidAgentId: 40056,
  invalidMessage: 34014,
  userNotFound: 60121,
  deptNotFound: 60003,
  appQpsLimit: 90018,
} as const

/** 工作通知 filtered per user: daily limit / same content today (getsendresult `forbidden_list.code`) */
const FORBIDDEN_DAILY_LIMIT = '143105'
const FORBIDDEN_DUPLICATE = '143106'

type Handler = (ctx: EmulatorContext, req: DingTalkRequest) => Reply

const deptId = z.coerce.number().int().positive()

/** parses a body with zod, or answers 40035 as DingTalk does for a bad parameter */
function parseBody<S extends z.ZodType>(schema: S, body: unknown): { ok: true; data: z.output<S> } | Reply {
  if (body === INVALID_JSON) return oapiError(ERR.invalidParam, '不合法的参数：请求体不是合法的 JSON')
  const parsed = schema.safeParse(body ?? {})
  if (parsed.success) return { ok: true, data: parsed.data }
  const issue = parsed.error.issues[0]
  return oapiError(
    ERR.invalidParam,
    `不合法的参数：${issue?.path.join('.') || 'body'} ${issue?.message ?? ''}`,
  )
}

const isReply = (value: object): value is Reply => 'status' in value

// ---------- token ----------

const getToken: Handler = (ctx, req) => {
  const appKey = req.query.get('appkey') ?? ''
  const appSecret = req.query.get('appsecret') ?? ''
  if (appKey !== ctx.appKey || appSecret !== ctx.appSecret) {
    return oapiError(ERR.invalidAppKey, '不合法的appKey或appSecret')
  }
  if (!ctx.state.tokenRequests.tryHit(appKey, ctx.now())) {
    return oapiError(ERR.appQpsLimit, '应用调用该接口的频率超过限制，请稍后重试')
  }
  return oapiOk({ access_token: issueToken(ctx, appKey), expires_in: TOKEN_TTL_SECONDS })
}

export function issueToken(ctx: EmulatorContext, appKey: string): string {
  const token = newId(16)
  ctx.state.tokens.set(token, { appKey, expiresAt: ctx.now() + TOKEN_TTL_SECONDS * 1000 })
  return token
}

/** 'ok', or why the token is refused */
export function tokenStatus(
  ctx: EmulatorContext,
  token: string | null | undefined,
): 'ok' | 'invalid' | 'expired' {
  const issued = token ? ctx.state.tokens.get(token) : undefined
  if (!issued) return 'invalid'
  return ctx.now() >= issued.expiresAt ? 'expired' : 'ok'
}

// ---------- login ----------

const getUserInfo: Handler = (ctx, req) => {
  const parsed = parseBody(z.object({ code: z.string().min(1) }), req.body)
  if (isReply(parsed)) return parsed
  const entry = ctx.state.authCodes.get(parsed.data.code)
  // single use: a code is gone once tried, like DingTalk's
  ctx.state.authCodes.delete(parsed.data.code)
  const user = entry && ctx.now() < entry.expiresAt ? findUser(ctx.org, entry.userId) : undefined
  if (!user) return oapiError(ERR.invalidAuthCode, '不存在的临时授权码')
  return oapiOk({
    result: {
      userid: user.userId,
      unionid: user.unionId,
      name: user.name,
      sys: user.admin,
      sys_level: user.admin ? 1 : user.boss ? 100 : 0,
      device_id: `device-${user.userId}`,
      associated_unionid: '',
    },
  })
}

export function issueAuthCode(ctx: EmulatorContext, userId: string): string {
  const code = newId(16)
  ctx.state.authCodes.set(code, { userId, expiresAt: ctx.now() + AUTH_CODE_TTL_MS })
  return code
}

// ---------- directory ----------

const userDetail = (user: DemoUser) => ({
  userid: user.userId,
  unionid: user.unionId,
  name: user.name,
  avatar: user.avatar,
  state_code: '86',
  mobile: user.mobile,
  hide_mobile: false,
  telephone: '',
  job_number: user.jobNumber,
  title: user.title,
  email: '',
  work_place: '',
  remark: '',
  dept_id_list: user.deptIds,
  dept_order_list: user.deptIds.map((id) => ({ dept_id: id, order: 0 })),
  extension: '{}',
  hired_date: 1672531200000,
  active: true,
  real_authed: true,
  senior: false,
  admin: user.admin,
  boss: user.boss,
  exclusive_account: false,
  leader_in_dept: user.deptIds.map((id) => ({ dept_id: id, leader: user.leaderOf.includes(id) })),
})

const getUser: Handler = (ctx, req) => {
  const parsed = parseBody(z.object({ userid: z.string().min(1), language: z.string().optional() }), req.body)
  if (isReply(parsed)) return parsed
  const user = findUser(ctx.org, parsed.data.userid)
  if (!user) return oapiError(ERR.userNotFound, '找不到该用户')
  return oapiOk({ result: userDetail(user) })
}

const deptBody = z.object({ dept_id: deptId.default(1), language: z.string().optional() })

const listSub: Handler = (ctx, req) => {
  const parsed = parseBody(deptBody, req.body)
  if (isReply(parsed)) return parsed
  if (!findDept(ctx.org, parsed.data.dept_id)) return oapiError(ERR.deptNotFound, '部门不存在')
  const result = childDepts(ctx.org, parsed.data.dept_id).map((d) => ({
    dept_id: d.deptId,
    name: d.name,
    parent_id: d.parentId,
    create_dept_group: true,
    auto_add_user: true,
  }))
  return oapiOk({ result })
}

const listSubIds: Handler = (ctx, req) => {
  const parsed = parseBody(deptBody, req.body)
  if (isReply(parsed)) return parsed
  if (!findDept(ctx.org, parsed.data.dept_id)) return oapiError(ERR.deptNotFound, '部门不存在')
  return oapiOk({ result: { dept_id_list: childDepts(ctx.org, parsed.data.dept_id).map((d) => d.deptId) } })
}

const getDept: Handler = (ctx, req) => {
  const parsed = parseBody(deptBody, req.body)
  if (isReply(parsed)) return parsed
  const dept = findDept(ctx.org, parsed.data.dept_id)
  if (!dept) return oapiError(ERR.deptNotFound, '部门不存在')
  const managers = ctx.org.users.filter((u) => u.leaderOf.includes(dept.deptId)).map((u) => u.userId)
  return oapiOk({
    result: {
      dept_id: dept.deptId,
      name: dept.name,
      ...(dept.parentId === null ? {} : { parent_id: dept.parentId }),
      order: dept.order,
      create_dept_group: true,
      auto_add_user: true,
      dept_manager_userid_list: managers,
      member_count: deptMembers(ctx.org, dept.deptId).length,
    },
  })
}

const listUsers: Handler = (ctx, req) => {
  const schema = z.object({
    dept_id: deptId,
    cursor: z.coerce.number().int().min(0),
    size: z.coerce.number().int().min(1).max(100),
    language: z.string().optional(),
  })
  const parsed = parseBody(schema, req.body)
  if (isReply(parsed)) return parsed
  const { dept_id, cursor, size } = parsed.data
  if (!findDept(ctx.org, dept_id)) return oapiError(ERR.deptNotFound, '部门不存在')
  const members = deptMembers(ctx.org, dept_id)
  const page = members.slice(cursor, cursor + size)
  const hasMore = cursor + size < members.length
  const list = page.map((u) => ({
    userid: u.userId,
    unionid: u.unionId,
    name: u.name,
    avatar: u.avatar,
    mobile: u.mobile,
    title: u.title,
    job_number: u.jobNumber,
    dept_id_list: u.deptIds,
    leader: u.leaderOf.includes(dept_id),
    admin: u.admin,
    boss: u.boss,
    active: true,
  }))
  return oapiOk({ result: { has_more: hasMore, ...(hasMore ? { next_cursor: cursor + size } : {}), list } })
}

// ---------- work notifications ----------

const agentIdField = z.union([z.number(), z.string()]).transform(String)

const asyncSend: Handler = (ctx, req) => {
  // DingTalk's per-app limit on this API, counted per call whatever its body
  const appKey = ctx.state.tokens.get(req.query.get('access_token') ?? '')?.appKey ?? ''
  if (!ctx.state.workNotificationCalls.tryHit(appKey, ctx.now())) {
    ctx.state.countCall(req.path, ctx.state.throttled)
    return oapiError(ERR.appQpsLimit, '当前应用调用该接口的频率超过限制，请稍后重试')
  }
  const parsed = parseBody(
    z.object({ agent_id: agentIdField, userid_list: z.string().optional(), msg: z.unknown() }),
    req.body,
  )
  if (isReply(parsed)) return parsed
  const { agent_id, userid_list = '', msg } = parsed.data
  if (agent_id !== ctx.agentId) return oapiError(ERR.invalidAgentId, '不合法的agentid')
  const userIds = [...new Set(userid_list.split(',').map((s) => s.trim()))].filter(Boolean)
  if (userIds.length === 0) return oapiError(ERR.invalidParam, '不合法的参数：接收者为空')
  if (userIds.length > 100) return oapiError(ERR.invalidParam, '不合法的参数：userid_list 最多 100 人')
  const message = workMessage.safeParse(typeof msg === 'string' ? safeJson(msg) : msg)
  if (!message.success) return oapiError(ERR.invalidMessage, '会话消息的json结构无效或不完整')

  const taskId = ctx.state.taskId()
  ctx.state.tasks.set(taskId, deliverWorkNotification(ctx, agent_id, userIds, message.data))
  return oapiOk({ task_id: taskId })
}

/** applies DingTalk's per-user limits; over a limit the user is filtered silently, as DingTalk does */
function deliverWorkNotification(
  ctx: EmulatorContext,
  agentId: string,
  userIds: string[],
  msg: WorkMessage,
): SendTask {
  const { state } = ctx
  const day = chinaDay(ctx.now())
  const hash = contentHash(msg)
  const task: SendTask = { agentId, delivered: [], invalid: [], forbidden: [] }
  for (const userId of userIds) {
    const countKey = `${day}|${userId}`
    const contentKey = `${countKey}|${hash}`
    if (!findUser(ctx.org, userId)) task.invalid.push(userId)
    else if (state.contentsPerUserDay.has(contentKey)) {
      task.forbidden.push({ userid: userId, code: FORBIDDEN_DUPLICATE, count: 1 })
    } else if ((state.notificationsPerUserDay.get(countKey) ?? 0) >= WORK_NOTIFICATIONS_PER_USER_DAY) {
      task.forbidden.push({
        userid: userId,
        code: FORBIDDEN_DAILY_LIMIT,
        count: WORK_NOTIFICATIONS_PER_USER_DAY,
      })
    } else {
      state.contentsPerUserDay.add(contentKey)
      state.notificationsPerUserDay.set(countKey, (state.notificationsPerUserDay.get(countKey) ?? 0) + 1)
      task.delivered.push(userId)
    }
  }
  if (task.delivered.length > 0) {
    state.messages.push({
      id: newId(),
      kind: 'work_notification',
      to: { userIds: task.delivered },
      ...describeWorkMessage(msg),
      msg,
      at: new Date(ctx.now()).toISOString(),
    })
  }
  return task
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

const getSendResult: Handler = (ctx, req) => {
  const parsed = parseBody(z.object({ agent_id: agentIdField, task_id: z.coerce.number().int() }), req.body)
  if (isReply(parsed)) return parsed
  const task = ctx.state.tasks.get(parsed.data.task_id)
  if (parsed.data.agent_id !== ctx.agentId) return oapiError(ERR.invalidAgentId, '不合法的agentid')
  if (!task || task.agentId !== parsed.data.agent_id)
    return oapiError(ERR.invalidParam, '不合法的参数：task_id')
  return oapiOk({
    send_result: {
      invalid_user_id_list: task.invalid,
      forbidden_user_id_list: task.forbidden.map((f) => f.userid),
      failed_user_id_list: [],
      read_user_id_list: [],
      unread_user_id_list: task.delivered,
      invalid_dept_id_list: [],
      forbidden_list: task.forbidden,
    },
  })
}

// ---------- routing ----------

const routes: Record<string, Handler> = {
  'POST /topapi/v2/user/getuserinfo': getUserInfo,
  'POST /topapi/v2/user/get': getUser,
  'POST /topapi/v2/department/listsub': listSub,
  'POST /topapi/v2/department/listsubid': listSubIds,
  'POST /topapi/v2/department/get': getDept,
  'POST /topapi/v2/user/list': listUsers,
  'POST /topapi/user/getbyunionid': userByUnionId,
  'POST /topapi/message/corpconversation/asyncsend_v2': asyncSend,
  'POST /topapi/message/corpconversation/getsendresult': getSendResult,
}

export function handleOapi(ctx: EmulatorContext, req: DingTalkRequest): Reply {
  if (req.path === '/gettoken') return getToken(ctx, req)
  const handler = routes[`${req.method} ${req.path}`]
  if (!handler) return { status: 404, body: { errcode: 404, errmsg: '请求的URI地址不存在' } }
  const token = tokenStatus(ctx, req.query.get('access_token'))
  if (token === 'invalid') return oapiError(ERR.invalidToken, '不合法的access_token')
  if (token === 'expired') return oapiError(ERR.tokenExpired, 'access_token超时')
  return handler(ctx, req)
}
