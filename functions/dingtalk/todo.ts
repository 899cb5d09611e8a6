/**
 * DingTalk to-dos (待办, v1.0 host; DINGTALK.md "To-dos"): create, update (done, due time, executors),
 * delete, and find a task by the caller's `sourceId`. People are named by `unionId`; every call acts as
 * an operator (`operatorId`), here the task's creator.
 *
 * A create is sent again after a timeout or a 5xx (the client's retries, then the outbox's): the second
 * one answers "task exist" when the first had landed, and `findBySourceId` then reads the task's id
 * from the creator's to-dos (`org/tasks/query`, whose cards carry `sourceId`, as the official SDK's
 * QueryOrgTodoTasksResponseBodyTodoCards has it). So a retried create never makes a second task.
 */
import * as z from 'zod'
import { dingtalk, type CallLimiter, type DingTalkClient } from './client.js'
import { isDingTalkError } from './errors.js'

export interface TodoTaskInput {
  sourceId: string
  subject: string
  description?: string
  /** ms since the epoch */
  dueTime?: number
  executorIds: string[]
  detailUrl: { appUrl: string; pcUrl: string }
  priority?: 10 | 20 | 30 | 40
}

export interface TodoTaskChanges {
  subject?: string
  description?: string
  dueTime?: number
  done?: boolean
  executorIds?: string[]
}

const createdTask = z.looseObject({ id: z.string().min(1), sourceId: z.string().optional() })
const resultTrue = z.looseObject({ result: z.boolean() })
const todoPage = z.looseObject({
  todoCards: z
    .array(z.looseObject({ taskId: z.string(), sourceId: z.string().optional().nullable() }))
    .default([]),
  nextToken: z.string().optional().nullable(),
})

const tasksPath = (unionId: string) => `/v1.0/todo/users/${encodeURIComponent(unionId)}/tasks`

/** "task exist": a create whose `sourceId` already has a task */
export const isTaskExists = (error: unknown): boolean =>
  isDingTalkError(error) && error.errcode === 'todo.taskCreate.paramError' && /task exist/.test(error.message)

/** "task not exist": an update or delete of a task DingTalk does not have (deleted there) */
export const isTaskNotExists = (error: unknown): boolean =>
  isDingTalkError(error) &&
  typeof error.errcode === 'string' &&
  /^todo\.[A-Za-z]+\.paramError$/.test(error.errcode) &&
  /task not exist/.test(error.message)

/** `limiter`: every HTTP exchange (retries and pages included) takes one of its slots (limits.ts) */
export function todoApi(client: DingTalkClient = dingtalk(), limiter?: CallLimiter) {
  const api = {
    /** a new task, created by (and in the name of) `operator` → its id */
    createTask: async (operator: string, input: TodoTaskInput): Promise<string> =>
      (
        await client.apiCall({
          method: 'POST',
          path: tasksPath(operator),
          query: { operatorId: operator },
          body: {
            ...input,
            creatorId: operator,
            isOnlyShowExecutor: true,
            priority: input.priority ?? 20,
            notifyConfigs: { dingNotify: '1' },
          },
          schema: createdTask,
          limiter,
        })
      ).id,

    updateTask: async (operator: string, taskId: string, changes: TodoTaskChanges): Promise<void> => {
      await client.apiCall({
        method: 'PUT',
        path: `${tasksPath(operator)}/${encodeURIComponent(taskId)}`,
        query: { operatorId: operator },
        body: changes,
        schema: resultTrue,
        limiter,
      })
    },

    deleteTask: async (operator: string, taskId: string): Promise<void> => {
      await client.apiCall({
        method: 'DELETE',
        path: `${tasksPath(operator)}/${encodeURIComponent(taskId)}`,
        query: { operatorId: operator },
        schema: resultTrue,
        limiter,
      })
    },

    /** the id of the task created with `sourceId`, among `unionId`'s open and done to-dos */
    findBySourceId: async (unionId: string, sourceId: string): Promise<string | undefined> => {
      for (const isDone of [false, true]) {
        let nextToken: string | undefined
        for (let page = 0; page < 100; page++) {
          const answer = await client.apiCall({
            method: 'POST',
            path: `/v1.0/todo/users/${encodeURIComponent(unionId)}/org/tasks/query`,
            body: { isDone, nextToken },
            schema: todoPage,
            limiter,
          })
          const found = answer.todoCards.find((card) => card.sourceId === sourceId)
          if (found) return found.taskId
          nextToken = answer.nextToken ?? undefined
          if (!nextToken) break
        }
      }
      return undefined
    },
  }
  return api
}
