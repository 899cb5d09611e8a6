/**
 * DingTalk to-dos (待办) on the v1.0 host, as DINGTALK.md "To-dos" has them:
 * - `POST /v1.0/todo/users/{unionId}/tasks?operatorId=` creates; a second create with the same `sourceId`
 *   answers 400 `todo.taskCreate.paramError` "task exist";
 * - `PUT /v1.0/todo/users/{unionId}/tasks/{taskId}?operatorId=` `{subject?, description?, dueTime?, done?,
 *   executorIds?, participantIds?}` → `{result: true}`; an unknown task → 400 `todo.taskUpdate.paramError`
 *   "task not exist";
 * - `DELETE /v1.0/todo/users/{unionId}/tasks/{taskId}?operatorId=` → `{result: true}` (same error);
 * - `POST /v1.0/todo/users/{unionId}/org/tasks/query {isDone?, nextToken?}` → `{todoCards: [{taskId,
 *   sourceId, subject, dueTime, isDone, creatorId, detailUrl, ...}], nextToken}`: the person's to-dos
 *   (the shape of the official SDK's QueryOrgTodoTasksResponseBody).
 * Flow control: each to-do API takes `TODO_CALLS_PER_SECOND` calls a second per app; beyond, 400
 * `todo.<api>.flowControlError` (DingTalk's "flowControl because of executorId or orgId").
 */
import * as z from 'zod'
import { apiError, type DingTalkRequest, type EmulatorContext, type Reply } from './http.js'
import { newId, TODO_CALLS_PER_SECOND } from './state.js'

export { TODO_CALLS_PER_SECOND }

export interface TodoTask {
  id: string
  sourceId: string
  subject: string
  description: string
  creatorId: string
  executorIds: string[]
  participantIds: string[]
  dueTime?: number
  done: boolean
  detailUrl: { appUrl?: string; pcUrl?: string }
  priority: number
  createdTime: number
  modifiedTime: number
  finishTime?: number
}

const CreateBody = z.object({
  sourceId: z.string().min(1).max(64).optional(),
  subject: z.string().min(1).max(1024),
  creatorId: z.string().optional(),
  description: z.string().max(4096).optional(),
  dueTime: z.number().int().positive().optional(),
  executorIds: z.array(z.string().min(1)).max(1000).optional(),
  participantIds: z.array(z.string().min(1)).max(1000).optional(),
  detailUrl: z.object({ appUrl: z.string().optional(), pcUrl: z.string().optional() }).optional(),
  isOnlyShowExecutor: z.boolean().optional(),
  priority: z.union([z.literal(10), z.literal(20), z.literal(30), z.literal(40)]).optional(),
  notifyConfigs: z.object({ dingNotify: z.string().optional() }).optional(),
})

const UpdateBody = z.object({
  subject: z.string().min(1).max(1024).optional(),
  description: z.string().max(4096).optional(),
  dueTime: z.number().int().positive().optional(),
  done: z.boolean().optional(),
  executorIds: z.array(z.string().min(1)).max(1000).optional(),
  participantIds: z.array(z.string().min(1)).max(1000).optional(),
})

const QueryBody = z.object({
  nextToken: z.string().optional(),
  isDone: z.boolean().optional(),
  roleTypes: z.array(z.array(z.string())).optional(),
})

const PAGE = 50

const known = (ctx: EmulatorContext, unionId: string) => ctx.org.users.some((u) => u.unionId === unionId)

/** the public shape of a task */
export const taskView = (t: TodoTask) => ({
  id: t.id,
  subject: t.subject,
  description: t.description,
  startTime: t.createdTime,
  dueTime: t.dueTime,
  finishTime: t.finishTime,
  done: t.done,
  executorIds: t.executorIds,
  participantIds: t.participantIds,
  detailUrl: t.detailUrl,
  source: 'isv_dingtalkTodo',
  sourceId: t.sourceId,
  createdTime: t.createdTime,
  modifiedTime: t.modifiedTime,
  creatorId: t.creatorId,
  modifierId: t.creatorId,
  bizTag: 'crm',
  requestId: newId(8),
  priority: t.priority,
})

const involves = (t: TodoTask, unionId: string) =>
  t.creatorId === unionId || t.executorIds.includes(unionId) || t.participantIds.includes(unionId)

/** 20 calls a second per app and to-do API, then DingTalk's flow control answer */
function flowControlled(ctx: EmulatorContext, api: string): Reply | undefined {
  if (ctx.state.todoCalls.tryHit(`${ctx.appKey}|${api}`, ctx.now())) return undefined
  return apiError(400, `todo.${api}.flowControlError`, 'flowControl because of executorId or orgId')
}

const param = (api: string, message: string) => apiError(400, `todo.${api}.paramError`, message)

function create(ctx: EmulatorContext, unionId: string, req: DingTalkRequest): Reply {
  const throttled = flowControlled(ctx, 'taskCreate')
  if (throttled) return throttled
  const body = CreateBody.safeParse(req.body ?? {})
  if (!body.success) return param('taskCreate', z.prettifyError(body.error))
  const input = body.data
  const { todos, todoSources } = ctx.state
  if (input.sourceId && todoSources.has(input.sourceId)) return param('taskCreate', 'task exist')
  const executors = input.executorIds ?? [unionId]
  if (executors.some((id) => !known(ctx, id))) return param('taskCreate', 'executor not exist')
  const at = ctx.now()
  const task: TodoTask = {
    id: `task${newId(10)}`,
    sourceId: input.sourceId ?? '',
    subject: input.subject,
    description: input.description ?? '',
    creatorId: input.creatorId ?? unionId,
    executorIds: executors,
    participantIds: input.participantIds ?? [],
    dueTime: input.dueTime,
    done: false,
    detailUrl: input.detailUrl ?? {},
    priority: input.priority ?? 20,
    createdTime: at,
    modifiedTime: at,
  }
  todos.set(task.id, task)
  if (task.sourceId) todoSources.set(task.sourceId, task.id)
  return { status: 200, body: taskView(task) }
}

function update(ctx: EmulatorContext, unionId: string, taskId: string, req: DingTalkRequest): Reply {
  const throttled = flowControlled(ctx, 'taskUpdate')
  if (throttled) return throttled
  const body = UpdateBody.safeParse(req.body ?? {})
  if (!body.success) return param('taskUpdate', z.prettifyError(body.error))
  const task = ctx.state.todos.get(taskId)
  if (!task) return param('taskUpdate', 'task not exist')
  if (!involves(task, unionId)) return apiError(403, 'forbidden.noPermission', '无权限操作该待办')
  const changes = body.data
  if (changes.executorIds?.some((id) => !known(ctx, id))) return param('taskUpdate', 'executor not exist')
  const at = ctx.now()
  Object.assign(task, Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)))
  if (changes.done !== undefined) task.finishTime = changes.done ? at : undefined
  task.modifiedTime = at
  return { status: 200, body: { result: true, requestId: newId(8) } }
}

function remove(ctx: EmulatorContext, unionId: string, taskId: string): Reply {
  const throttled = flowControlled(ctx, 'taskDelete')
  if (throttled) return throttled
  const task = ctx.state.todos.get(taskId)
  if (!task) return param('taskDelete', 'task not exist')
  if (!involves(task, unionId)) return apiError(403, 'forbidden.noPermission', '无权限操作该待办')
  ctx.state.todos.delete(taskId)
  // the sourceId stays taken: DingTalk keeps deleted tasks' source ids
  return { status: 200, body: { result: true, requestId: newId(8) } }
}

function query(ctx: EmulatorContext, unionId: string, req: DingTalkRequest): Reply {
  const throttled = flowControlled(ctx, 'taskQuery')
  if (throttled) return throttled
  const body = QueryBody.safeParse(req.body ?? {})
  if (!body.success) return param('taskQuery', z.prettifyError(body.error))
  const mine = [...ctx.state.todos.values()].filter(
    (t) => involves(t, unionId) && (body.data.isDone === undefined || t.done === body.data.isDone),
  )
  const start = Number(body.data.nextToken ?? 0) || 0
  const page = mine.slice(start, start + PAGE)
  return {
    status: 200,
    body: {
      todoCards: page.map((t) => ({
        taskId: t.id,
        subject: t.subject,
        sourceId: t.sourceId,
        creatorId: t.creatorId,
        dueTime: t.dueTime,
        isDone: t.done,
        priority: t.priority,
        detailUrl: t.detailUrl,
        createdTime: t.createdTime,
        modifiedTime: t.modifiedTime,
        bizTag: 'crm',
      })),
      nextToken: start + PAGE < mine.length ? String(start + PAGE) : undefined,
    },
  }
}

const TASKS = /^\/v1\.0\/todo\/users\/([^/]+)\/tasks(?:\/([^/]+))?$/
const ORG_QUERY = /^\/v1\.0\/todo\/users\/([^/]+)\/org\/tasks\/query$/

/** The to-do routes, or undefined when the path is not one of them. */
export function handleTodo(ctx: EmulatorContext, req: DingTalkRequest): Reply | undefined {
  const queried = ORG_QUERY.exec(req.path)
  const matched = TASKS.exec(req.path)
  if (!queried && !matched) return undefined
  const unionId = decodeURIComponent((queried ?? matched)![1])
  if (!known(ctx, unionId)) return apiError(400, 'todo.user.notExist', 'user not exist')
  if (queried) return req.method === 'POST' ? query(ctx, unionId, req) : undefined
  const taskId = matched![2] && decodeURIComponent(matched![2])
  if (!taskId) return req.method === 'POST' ? create(ctx, unionId, req) : undefined
  if (req.method === 'PUT') return update(ctx, unionId, taskId, req)
  if (req.method === 'DELETE') return remove(ctx, unionId, taskId)
  return undefined
}

/** `GET /__todos?userId=`: a demo user's to-dos (executor or creator), newest first */
export function todosOf(ctx: EmulatorContext, userId?: string) {
  const unionId = userId ? ctx.org.users.find((u) => u.userId === userId)?.unionId : undefined
  const userOf = (id: string) => ctx.org.users.find((u) => u.unionId === id)?.userId ?? id
  return [...ctx.state.todos.values()]
    .filter((t) => !userId || (unionId !== undefined && involves(t, unionId)))
    .sort((a, b) => b.createdTime - a.createdTime)
    .map((t) => ({
      ...taskView(t),
      dueAt: t.dueTime === undefined ? undefined : new Date(t.dueTime).toISOString(),
      executors: t.executorIds.map(userOf),
      creator: userOf(t.creatorId),
    }))
}
