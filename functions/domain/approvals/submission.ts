import { ulid } from 'ulid'
import {
  type ApprovalCollection,
  type ApprovalCondition,
  type ApprovalStep,
  type Approver,
  conditionFields,
  type Flow,
  type RecordApproval,
} from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { forbidden, unprocessable } from '../../core/errors.js'
import type { Collection, StoredRecord } from '../../db/collection.js'
import type { Write } from '../../db/commit.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { TAG } from '../../db/entities/record.js'
import { getRecord, replaceRecord } from '../../db/records.js'
import { type DirectoryDept, type DirectoryUser, listDirectory } from '../directory/sessions.js'
import { canChange } from '../scope/scope.js'
import { isPending } from './effect.js'
import {
  boxPut,
  type Instance,
  instanceWrite,
  readInstance,
  stepActivity,
  stepTodo,
  todoCard,
} from './instances.js'
import type { ApprovalSettings } from '../../../shared/schemas/index.js'
import { heldApprovalSettings } from './settings.js'

/** At most this many approvers per step: a step's to-do entries go into one transaction. */
export const MAX_STEP_APPROVERS = 20

/** What a governed record carries besides its own fields. */
export type Governed = StoredRecord & { approval?: RecordApproval; customerId?: string }

/** Does the record meet the flow's condition? Money compares in fen (the condition says yuan). */
export function holds(
  collection: ApprovalCollection,
  condition: ApprovalCondition | undefined,
  record: Governed,
) {
  if (!condition) return true
  const field = conditionFields[collection][condition.field]
  if (!field) return false
  const given = (value: string | number) => (field.kind === 'money' ? Math.round(Number(value) * 100) : value)
  const actual = record[condition.field] as string | number | undefined
  if (actual === undefined) return false
  const value = condition.value
  switch (condition.op) {
    case 'gte':
      return typeof value !== 'object' && Number(actual) >= Number(given(value))
    case 'lte':
      return typeof value !== 'object' && Number(actual) <= Number(given(value))
    case 'eq':
      return typeof value !== 'object' && actual === given(value)
    case 'in':
      return Array.isArray(value) && value.map(given).includes(actual)
  }
}

/** The first enabled flow of the record type and write that the record meets. */
export const matchingFlow = (
  flows: Flow[],
  collection: ApprovalCollection,
  on: Flow['on'],
  record: Governed,
) =>
  flows.find(
    (f) => f.enabled && f.collection === collection && f.on === on && holds(collection, f.condition, record),
  )

interface Directory {
  users: DirectoryUser[]
  depts: Map<string, DirectoryDept>
}

const leadersOf = (directory: Directory, deptId: string) =>
  directory.users.filter((u) => u.active && u.leaderDeptIds.includes(deptId)).map((u) => u.id)

/**
 * The people a step names, as the directory has them at submission: `manager` the leader of the
 * submitter's department — the next one up with a leader when the submitter leads it (or it has none);
 * `deptLeader` the leaders of the department; `users` those named who are still active; `role` everyone
 * with the role.
 */
export function approversOf(directory: Directory, submitter: Session, approver: Approver): string[] {
  switch (approver.type) {
    case 'users': {
      const active = new Set(directory.users.filter((u) => u.active).map((u) => u.id))
      return (approver.userIds ?? []).filter((id) => active.has(id))
    }
    case 'role':
      return directory.users.filter((u) => u.active && u.role === approver.role).map((u) => u.id)
    case 'deptLeader':
      return approver.deptId ? leadersOf(directory, approver.deptId) : []
    case 'manager': {
      const dept = submitter.deptIds[0] && directory.depts.get(submitter.deptIds[0])
      const path = dept ? [...dept.path].reverse() : []
      for (const deptId of path) {
        const leaders = leadersOf(directory, deptId).filter((id) => id !== submitter.userId)
        if (leaders.length) return leaders
      }
      return []
    }
  }
}

async function readDirectory(tenantId: string): Promise<Directory> {
  const [users, depts] = await Promise.all([
    listDirectory<DirectoryUser>(UserEntity, TAG.user, tenantId),
    listDirectory<DirectoryDept>(DeptEntity, TAG.dept, tenantId),
  ])
  return { users, depts: new Map(depts.map((d) => [d.id, d])) }
}

/**
 * Starts an instance of the flow for the record: the steps with their approvers resolved now (a step
 * that names nobody is left out; with none left the record needs no approval), the instance, the first
 * step's 待我审批 entries, the 动态 and the approvers' cards — all to commit with the record.
 */
async function start(
  session: Session,
  flow: Flow,
  collection: ApprovalCollection,
  record: Governed,
  label: string,
): Promise<{ approval: RecordApproval; writes: Write[] } | undefined> {
  const directory = await readDirectory(session.tenantId)
  const steps: ApprovalStep[] = []
  flow.steps.forEach(({ approver, mode }, i) => {
    const approverIds = approversOf(directory, session, approver)
    if (approverIds.length > MAX_STEP_APPROVERS) {
      throw unprocessable(
        'approval.too_many_approvers',
        `审批流程「${flow.name}」第 ${i + 1} 步的审批人超过 ${MAX_STEP_APPROVERS} 人`,
      )
    }
    if (approverIds.length) steps.push({ approver, approverIds, mode, status: 'waiting', decisions: [] })
  })
  if (!steps.length) return undefined
  steps[0].status = 'pending'
  const at = nowIso()
  const instance: Instance = {
    tenantId: session.tenantId,
    id: ulid(),
    flowId: flow.id,
    flowName: flow.name,
    collection,
    on: flow.on,
    recordId: record.id,
    recordName: label,
    customerId: (record.customerId as string | undefined) ?? record.id,
    submitterId: session.userId,
    submitterName: session.name,
    status: 'pending',
    currentStep: 0,
    steps,
    createdAt: at,
    updatedAt: at,
    version: 1,
  }
  return {
    approval: { id: instance.id, status: 'pending', flowName: flow.name },
    writes: [
      instanceWrite(instance),
      ...steps[0].approverIds.map((userId) => boxPut(instance, 'TODO', userId)),
      ...stepActivity(session, instance, 'approval.submitted', `提交审批「${flow.name}」：${label}`),
      ...todoCard(instance),
      ...stepTodo(instance),
    ],
  }
}

/**
 * The approval gate of a write (create or update) of a governed record: when an enabled flow matches
 * the record as it will be stored, the record carries `approval: pending` (it takes no effect until
 * approved) and the writes that start the instance join the record's transaction. Otherwise the
 * record is as given: no flow, no approval.
 */
export async function gate<R extends Governed>(
  session: Session,
  collection: ApprovalCollection,
  on: Flow['on'],
  record: R,
  label: string,
  /** the tenant's flows when the caller already started reading them (alongside its other reads) */
  settings: Promise<ApprovalSettings> = heldApprovalSettings(session.tenantId),
): Promise<{ record: R; writes: Write[] }> {
  const { flows } = await settings
  const flow = matchingFlow(flows, collection, on, record)
  const started = flow && (await start(session, flow, collection, record, label))
  if (!started) return { record, writes: [] }
  return { record: { ...record, approval: started.approval }, writes: started.writes }
}

/**
 * 重新提交 (`POST /api/{collection}/{id}/submit`): a rejected or withdrawn record goes through the flow
 * of its last instance's kind (create or update) again, as a new instance; when no flow matches it any
 * more, it takes effect at once. Its owner or their managers may; anything else is 422.
 */
export async function resubmit<R extends Governed>(
  session: Session,
  collection: Collection<R>,
  name: ApprovalCollection,
  id: string,
): Promise<R> {
  const current = await getRecord(collection, session, id)
  if (!canChange(session, current as { ownerId?: string; deptId?: string })) {
    throw forbidden('只有负责人或其主管可以重新提交审批')
  }
  if (isPending(current)) throw unprocessable('approval.pending', '审批中，不能重复提交')
  const status = current.approval?.status
  if (status !== 'rejected' && status !== 'withdrawn') {
    throw unprocessable('approval.not_resubmittable', '只有被驳回或已撤回的记录可以重新提交')
  }
  const last = await readInstance(session.tenantId, current.approval!.id)
  const label = collection.label(current)
  const gated = await gate(session, name, last?.on ?? 'create', current, label)
  const next = {
    ...gated.record,
    approval: gated.record.approval === current.approval ? undefined : gated.record.approval,
    updatedAt: nowIso(),
    version: current.version + 1,
  }
  return replaceRecord(collection, current, next, gated.writes)
}
