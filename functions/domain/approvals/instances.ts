import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { $add } from 'dynamodb-toolbox/entity/actions/update/symbols'
import { nouns } from '../../../shared/nouns.js'
import type {
  Approval,
  ApprovalCollection,
  ApprovalStatus,
  ApprovalStep,
  Flow,
} from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { AppError, notFound } from '../../core/errors.js'
import type { Write } from '../../db/commit.js'
import { ApprovalBoxEntity, ApprovalEntity } from '../../db/entities/approvals.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { activityWrites } from '../activity/activity.js'
import { outboxWrite } from '../notifications/outbox.js'
import { todoCreate, todoDone, todoRemove, todoSet } from '../notifications/todos.js'

/**
 * An approval instance as stored (`T#t#APR#<id>`): the steps it started with (approvers resolved at
 * submission), the step being decided, every decision. Its writes — the instance (guarded by its
 * `version`), the box entries of 待我审批 / 我已审批, the record's 动态 and the DingTalk cards — go into
 * the same transaction as the record they govern.
 */
export interface Instance extends Omit<Approval, 'decidedAt'> {
  tenantId: string
  on: Flow['on']
  customerId: string
  decidedAt?: string
  updatedAt: string
}

export const readInstance = async (tenantId: string, id: string): Promise<Instance | undefined> => {
  const { Item } = await ApprovalEntity.build(GetItemCommand)
    .key({ tenantId, id })
    .options({ consistent: true })
    .send()
  return Item as Instance | undefined
}

export const approvalNotFound = () => notFound('approval', '审批不存在，或你不是当前步骤的审批人')
export const alreadyDecided = () =>
  new AppError(409, 'approval.already_decided', '该审批已处理（已有审批结果或已撤回）')
const moved = () => new AppError(409, 'version.conflict', '审批正被他人同时处理，请刷新后重试')

/** The instance written whole: new (`attribute_not_exists`) or over the version read. */
export function instanceWrite(instance: Instance, seen?: number): Write {
  return {
    action: ApprovalEntity.build(PutTransaction)
      .item({
        ...instance,
        decidedAt: instance.decidedAt,
        gsi1pk: tenantKey(instance.tenantId, TAG.approval),
        gsi1sk: instance.id,
        gsi2pk: tenantKey(instance.tenantId, TAG.approval, 'MINE', instance.submitterId),
        gsi2sk: instance.id,
      })
      .options({ condition: seen ? { attr: 'version', eq: seen } : { attr: 'id', exists: false } }),
    onConditionFail: seen ? moved : () => new AppError(409, 'approval.duplicate', '审批已存在'),
  }
}

export type Box = 'TODO' | 'DONE'
export const boxPartition = (tenantId: string, box: Box, userId: string) =>
  tenantKey(tenantId, TAG.approval, box, userId)

export const boxPut = (instance: Instance, box: Box, userId: string): Write => ({
  action: ApprovalBoxEntity.build(PutTransaction).item({
    tenantId: instance.tenantId,
    approvalId: instance.id,
    box,
    userId,
    collection: instance.collection,
    gsi2pk: boxPartition(instance.tenantId, box, userId),
    gsi2sk: instance.id,
  }),
})

export const boxDelete = (instance: Instance, box: Box, userId: string): Write => ({
  action: ApprovalBoxEntity.build(DeleteTransaction).key({
    tenantId: instance.tenantId,
    approvalId: instance.id,
    box,
    userId,
  }),
})

/** Approvers of a step who have not decided it. */
export const undecided = (step: ApprovalStep) =>
  step.approverIds.filter((id) => !step.decisions.some((d) => d.userId === id))

const stepName = (instance: Instance, index = instance.currentStep) =>
  instance.steps.length > 1 ? `第 ${index + 1} 步` : ''

const recordLabel = (instance: Pick<Instance, 'collection' | 'recordName'>) =>
  `${nouns[instance.collection].label}「${instance.recordName}」`

/** the timeline of each record type an approval governs */
const TIMELINE_TAGS: Record<Instance['collection'], string> = {
  contracts: TAG.contract,
  payments: TAG.payment,
  invoices: TAG.invoice,
  opportunities: TAG.opportunity,
  customers: TAG.customer,
}

/** The record's 动态: its own timeline and its customer's (as every deal record's activity). */
export const stepActivity = (
  session: Session,
  instance: Instance,
  action: string,
  summary: string,
): Write[] =>
  activityWrites(session, {
    timeline: { tag: TIMELINE_TAGS[instance.collection], id: instance.recordId },
    alsoOn: instance.customerId !== instance.recordId ? [{ tag: TAG.customer, id: instance.customerId }] : [],
    audience: { userIds: [instance.submitterId], deptIds: [] },
    recordType: nouns[instance.collection].one,
    recordId: instance.recordId,
    action,
    summary,
  })

const APPROVAL_PAGE = 'pages/approval/detail'
const approvalLink = (instance: Instance) => ({ page: APPROVAL_PAGE, query: { id: instance.id } })

/** The DingTalk to-do (待办) of a step: one task, its undecided approvers as executors. */
const todoOf = (instance: Instance, index: number) => ({
  tenantId: instance.tenantId,
  sourceId: `approval.${instance.id}.${index}`,
})

/** The step that now waits gets its to-do (opens the approval). */
export const stepTodo = (instance: Instance): Write[] =>
  todoCreate({
    ...todoOf(instance, instance.currentStep),
    userIds: undecided(instance.steps[instance.currentStep]),
    subject: `审批：${recordLabel(instance)}（${instance.submitterName} 提交）`,
    description: instance.flowName,
    link: approvalLink(instance),
    recordType: nouns[instance.collection].one,
    recordId: instance.recordId,
  })

/** A decided step's to-do is done (whoever decided it); a 会签 step still waiting keeps those who have not decided. */
export const stepTodoAfter = (instance: Instance, index: number, decided: boolean): Write[] =>
  decided
    ? todoDone(todoOf(instance, index))
    : todoSet({ ...todoOf(instance, index), userIds: undecided(instance.steps[index]) })

/** A withdrawn instance leaves nothing to do: its step's to-do goes. */
export const stepTodoGone = (instance: Instance, index: number): Write[] =>
  todoRemove(todoOf(instance, index))

/** The card to the approvers of the step that now waits for them (work notification). */
export function todoCard(instance: Instance): Write[] {
  const step = instance.steps[instance.currentStep]
  const approverIds = undecided(step)
  if (!approverIds.length) return []
  return [
    outboxWrite(instance.tenantId, {
      kind: 'approval.todo',
      userIds: approverIds,
      title: `待你审批：${instance.flowName}`,
      markdown: `### 待你审批：${instance.flowName}\n\n${instance.submitterName} 提交的${recordLabel(instance)}${stepName(instance) && `（${stepName(instance)}）`}等待你审批。`,
      link: approvalLink(instance),
      recordType: nouns[instance.collection].one,
      recordId: instance.recordId,
    }),
  ]
}

const OUTCOME: Record<ApprovalStatus, string> = {
  pending: '审批中',
  approved: '已通过',
  rejected: '已驳回',
  withdrawn: '已撤回',
}

/** The card to the submitter once the instance is decided. */
export function resultCard(session: Session, instance: Instance, comment?: string): Write {
  return outboxWrite(instance.tenantId, {
    kind: 'approval.result',
    userIds: [instance.submitterId],
    title: `审批${OUTCOME[instance.status]}：${instance.flowName}`,
    markdown:
      `### 审批${OUTCOME[instance.status]}\n\n你提交的${recordLabel(instance)}` +
      `${OUTCOME[instance.status]}（${session.name}）。` +
      (comment ? `\n\n审批意见：${comment}` : ''),
    link: { page: APPROVAL_PAGE, query: { id: instance.id } },
    recordType: nouns[instance.collection].one,
    recordId: instance.recordId,
  })
}

/**
 * A pending instance follows its record when a merge moves it: to the target customer's 动态 (a moved
 * child), or to the target itself (a source customer's own approval). Version +1, so a decision that read
 * it before writes nothing over it (it reads again).
 */
export const carryWrite = (
  tenantId: string,
  approvalId: string,
  to: { customerId: string; recordId?: string; recordName?: string },
): Write => ({
  action: ApprovalEntity.build(UpdateTransaction)
    .item({ tenantId, id: approvalId, ...to, version: $add(1) })
    .options({ condition: { attr: 'id', exists: true } }),
})

export const statusLabel = (status: ApprovalStatus) => OUTCOME[status]

export type { ApprovalCollection }
