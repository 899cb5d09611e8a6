import { randomUUID } from 'node:crypto'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import {
  $add,
  $get,
  $remove,
  $set,
  isConditionCheckFailed,
  UpdateItemCommand,
} from 'dynamodb-toolbox/entity/actions/update'
import { now, nowIso } from '../../core/clock.js'
import { log } from '../../core/log.js'
import type { Write } from '../../db/commit.js'
import { UserEntity } from '../../db/entities/directory.js'
import { TodoEntity } from '../../db/entities/outbox.js'
import { dingtalk } from '../../dingtalk/client.js'
import { DingTalkError } from '../../dingtalk/errors.js'
import { isTaskExists, isTaskNotExists, todoApi } from '../../dingtalk/todo.js'
import { todoLimiter } from './limits.js'
import { links, type Link } from './links.js'
import { outboxWrite } from './outbox.js'

/**
 * DingTalk to-dos (待办) for any noun, written in the noun's own transaction:
 *
 *   await commit([...recordWrites, ...todoCreate({ tenantId, sourceId: `approval.${id}.1`, userIds,
 *     subject: '审批：合同「…」', dueAt, link: recordLink('contracts', id) })])
 *   // later, in the transaction that decides, moves or drops it:
 *   ...todoDone({ tenantId, sourceId })  ·  ...todoMove({ tenantId, sourceId, dueAt })
 *   ...todoSet({ tenantId, sourceId, userIds, subject… })  ·  ...todoRemove({ tenantId, sourceId })
 *
 * `sourceId` is the caller's own name for the to-do (unique in the tenant, ≤ 60 characters); one task
 * in DingTalk has all `userIds` as executors, so it shows in each one's 待办. Each call returns two
 * writes: the to-do's wanted state (an upsert, no read: a done or move of a to-do that was never
 * created changes nothing in DingTalk) and an outbox message (`todo.create|update|done|remove`). Use at
 * most one call per `sourceId` in a transaction (DynamoDB refuses two writes to one item).
 *
 * Delivery (`syncTodo`, the scheduler) brings DingTalk in line with the wanted state, whatever order the
 * messages arrive in and however often: one delivery at a time holds the to-do's lock, creates the task
 * once (DingTalk's `sourceId` refuses a second, and a lost answer is found again by `sourceId`), then
 * updates what differs from what DingTalk was last told. So every message is delivered exactly once in
 * effect, under failures, timeouts and overlapping runs.
 */

export interface TodoInput {
  tenantId: string
  sourceId: string
  /** the CRM user ids who must do it (executors) */
  userIds: string[]
  subject: string
  description?: string
  /** ISO instant */
  dueAt?: string
  link: Link
  recordType?: string
  recordId?: string
}

type TodoKind = 'todo.create' | 'todo.update' | 'todo.done' | 'todo.remove'

const MAX_SUBJECT = 200

/** the to-do's wanted state (only the fields given change) and the message that syncs it */
function todoWrites(
  kind: TodoKind,
  title: string,
  {
    tenantId,
    sourceId,
    ...fields
  }: Partial<TodoInput> & { done?: boolean; removed?: boolean } & {
    tenantId: string
    sourceId: string
  },
): Write[] {
  const at = nowIso()
  // $set: a map or list given plainly is updated element by element, which fails on a missing attribute
  const defined = Object.fromEntries(
    Object.entries(fields)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, typeof v === 'object' ? $set(v as object) : v]),
  )
  return [
    {
      action: TodoEntity.build(UpdateTransaction).item({
        tenantId,
        sourceId,
        ...defined,
        rev: $add(1),
        createdAt: $get('createdAt', at),
        updatedAt: at,
      }),
    },
    outboxWrite(tenantId, {
      kind,
      userIds: [],
      title: title.slice(0, MAX_SUBJECT),
      markdown: title,
      link: fields.link ?? { page: '', query: {} },
      recordType: fields.recordType,
      recordId: fields.recordId,
      todoSourceId: sourceId,
    }),
  ]
}

/** A new to-do (or, for a `sourceId` that was done, the same one open again). */
export const todoCreate = (input: TodoInput): Write[] =>
  todoWrites('todo.create', `待办：${input.subject}`, {
    ...input,
    subject: input.subject.slice(0, MAX_SUBJECT),
    done: false,
    removed: false,
  })

/** Done: the task is ticked off in DingTalk. */
export const todoDone = ({ tenantId, sourceId }: { tenantId: string; sourceId: string }): Write[] =>
  todoWrites('todo.done', '待办完成', { tenantId, sourceId, done: true })

/** A new due time. */
export const todoMove = (input: { tenantId: string; sourceId: string; dueAt: string }): Write[] =>
  todoWrites('todo.update', '待办改期', input)

/** Any of subject, executors, due time, done, in one write. */
export const todoSet = (
  input: { tenantId: string; sourceId: string } & Partial<
    Pick<TodoInput, 'userIds' | 'subject' | 'description' | 'dueAt' | 'link'>
  > & { done?: boolean },
): Write[] => todoWrites(input.done ? 'todo.done' : 'todo.update', '待办更新', input)

/** Gone for good: the task is deleted from DingTalk; the `sourceId` cannot be opened again. */
export const todoRemove = ({ tenantId, sourceId }: { tenantId: string; sourceId: string }): Write[] =>
  todoWrites('todo.remove', '待办删除', { tenantId, sourceId, removed: true })

// ---------------------------------------------------------------- delivery

/** the to-do is being synced by another delivery: come back in a few seconds (not a failure) */
export class TodoBusy extends Error {
  constructor() {
    super('待办正在由另一次发送处理')
  }
}

const LOCK_MS = 2 * 60_000

/** What DingTalk holds (as far as we told it), in the order of the API's fields. */
interface TaskState {
  subject: string
  description: string
  dueTime?: number
  done: boolean
  removed: boolean
  executorIds: string[]
}

/** userId → unionId (undefined: left, or unknown to DingTalk), shared by one run's deliveries */
export type UnionIdCache = Map<string, Promise<string | undefined>>

async function unionIdOf(tenantId: string, id: string): Promise<string | undefined> {
  const { Item } = await UserEntity.build(GetItemCommand).key({ tenantId, id }).send()
  if (Item?.unionId) return Item.active ? Item.unionId : undefined
  try {
    return (await dingtalk().getUser(id)).unionid
  } catch (error) {
    log('warn', 'todo.no_union_id', { tenantId, userId: id, error: String(error) })
    return undefined
  }
}

/**
 * The unionIds of CRM users (the directory's copy, else DingTalk's); people DingTalk no longer has drop
 * out. A run's cache reads each person once (a run's to-dos mostly go to the same few people).
 */
export async function unionIdsOf(
  tenantId: string,
  userIds: string[],
  cache: UnionIdCache = new Map(),
): Promise<string[]> {
  const found = await Promise.all(
    userIds.map((id) => {
      let unionId = cache.get(id)
      if (!unionId) cache.set(id, (unionId = unionIdOf(tenantId, id)))
      return unionId
    }),
  )
  return [...new Set(found.filter((u): u is string => !!u))]
}

/** DingTalk's `sourceId` of a to-do: the tenant's own name, prefixed so it cannot meet another app's */
const dingTalkSourceId = (sourceId: string) => `crm.${sourceId}`

/**
 * Brings one to-do in DingTalk in line with its wanted state: creates it (once), then updates or deletes
 * what differs. Throws `TodoBusy` when another delivery holds it, a DingTalkError when DingTalk fails.
 */
export async function syncTodo(
  tenantId: string,
  sourceId: string,
  { unionIds }: { unionIds?: UnionIdCache } = {},
): Promise<void> {
  const lockId = randomUUID()
  let todo
  try {
    const { Attributes } = await TodoEntity.build(UpdateItemCommand)
      .item({ tenantId, sourceId, lockUntil: new Date(now() + LOCK_MS).toISOString(), lockId })
      .options({
        condition: {
          and: [
            { attr: 'rev', exists: true },
            {
              or: [
                { attr: 'lockUntil', exists: false },
                { attr: 'lockUntil', lt: nowIso() },
              ],
            },
          ],
        },
        returnValues: 'ALL_NEW',
      })
      .send()
    todo = Attributes!
  } catch (error) {
    if (!isConditionCheckFailed(error)) throw error
    const { Item } = await TodoEntity.build(GetItemCommand)
      .key({ tenantId, sourceId })
      .options({ consistent: true })
      .send()
    if (!Item) return // nothing was ever wanted
    throw new TodoBusy()
  }

  let taskId = todo.taskId
  let operator = todo.operatorUnionId
  let told: TaskState | undefined = todo.synced ? (JSON.parse(todo.synced) as TaskState) : undefined
  const release = async (extra: object = {}): Promise<void> => {
    await TodoEntity.build(UpdateItemCommand)
      .item({
        tenantId,
        sourceId,
        taskId,
        operatorUnionId: operator,
        synced: told && JSON.stringify(told),
        lockUntil: $remove(),
        lockId: $remove(),
        ...extra,
      })
      .options({ condition: { attr: 'lockId', eq: lockId } })
      .send()
      .catch((error: unknown) => {
        if (!isConditionCheckFailed(error)) throw error
        log('warn', 'todo.lock_lost', { tenantId, sourceId })
      })
  }

  try {
    // a done or move of a to-do that was never created: nothing to show in DingTalk
    if (!todo.subject) return await release()
    const api = todoApi(dingtalk(), todoLimiter())
    const executorIds = await unionIdsOf(tenantId, todo.userIds ?? [], unionIds)
    const want: TaskState = {
      subject: todo.subject,
      description: todo.description ?? '',
      dueTime: todo.dueAt ? Date.parse(todo.dueAt) : undefined,
      done: !!todo.done,
      removed: !!todo.removed,
      // nobody left to do it: keep the executors DingTalk has
      executorIds: executorIds.length > 0 ? executorIds : (told?.executorIds ?? []),
    }

    // removed is final: DingTalk keeps a deleted task's sourceId
    if (told?.removed) return await release()

    if (!taskId) {
      if (want.done || want.removed || want.executorIds.length === 0) return await release()
      operator = want.executorIds[0]
      const dtSourceId = dingTalkSourceId(sourceId)
      try {
        taskId = await api.createTask(operator, {
          sourceId: dtSourceId,
          subject: want.subject,
          description: want.description || undefined,
          dueTime: want.dueTime,
          executorIds: want.executorIds,
          detailUrl: links(todo.link ?? { page: 'pages/index/index', query: {} }),
        })
        told = want // what the create left there
      } catch (error) {
        if (!isTaskExists(error)) throw error
        // an earlier create landed and its answer was lost: find the task it made
        taskId = await api.findBySourceId(operator, dtSourceId)
        if (!taskId) {
          throw new DingTalkError(`待办已存在但查不到 ${dtSourceId}`, { kind: 'api', retryable: true })
        }
        told = undefined // what it holds is unknown: everything is sent below
      }
    }

    if (want.removed) {
      if (!told?.removed) {
        await api.deleteTask(operator!, taskId).catch((error: unknown) => {
          if (!isTaskNotExists(error)) throw error
        })
      }
      told = want
      return await release()
    }

    const changes = diff(told, want)
    if (Object.keys(changes).length > 0) {
      try {
        await api.updateTask(operator!, taskId, changes)
      } catch (error) {
        // deleted in DingTalk by hand: nothing left to bring in line
        if (!isTaskNotExists(error)) throw error
        log('warn', 'todo.gone', { tenantId, sourceId, taskId })
      }
    }
    told = want
    await release()
  } catch (error) {
    await release()
    throw error
  }
}

/** the fields of `want` that DingTalk does not hold yet (all of them when unknown) */
function diff(told: TaskState | undefined, want: TaskState) {
  const changes: Record<string, unknown> = {}
  if (!told || told.subject !== want.subject) changes.subject = want.subject
  if (!told || told.description !== want.description) {
    if (want.description) changes.description = want.description
  }
  if (want.dueTime !== undefined && (!told || told.dueTime !== want.dueTime)) changes.dueTime = want.dueTime
  if (!told || told.done !== want.done) changes.done = want.done
  if (!told || JSON.stringify(told.executorIds) !== JSON.stringify(want.executorIds)) {
    changes.executorIds = want.executorIds
  }
  return changes
}
