import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import type { ApprovalCollection, ApprovalStep } from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { AppError, forbidden } from '../../core/errors.js'
import type { Collection } from '../../db/collection.js'
import { commit, type Write } from '../../db/commit.js'
import { replaceRecord } from '../../db/records.js'
import { retryOnConflict } from '../../db/retry.js'
import { Contracts } from '../contracts/record.js'
import { Customers } from '../customers/record.js'
import { Invoices } from '../invoices/record.js'
import { Opportunities } from '../opportunities/record.js'
import { Payments } from '../payments/record.js'
import type { Governed } from './submission.js'
import {
  alreadyDecided,
  approvalNotFound,
  boxDelete,
  boxPut,
  type Instance,
  instanceWrite,
  readInstance,
  resultCard,
  stepActivity,
  stepTodo,
  stepTodoAfter,
  stepTodoGone,
  todoCard,
  undecided,
} from './instances.js'

/** The collections a flow may govern, by URL name. */
export const governed: Record<ApprovalCollection, Collection<Governed>> = {
  contracts: Contracts as unknown as Collection<Governed>,
  payments: Payments as unknown as Collection<Governed>,
  invoices: Invoices as unknown as Collection<Governed>,
  opportunities: Opportunities as unknown as Collection<Governed>,
  customers: Customers as unknown as Collection<Governed>,
}

/** The governed record as stored, whoever asks (the approval decides who may read it). */
export async function readGoverned(instance: Instance): Promise<Governed | undefined> {
  const { Item } = await governed[instance.collection].entity
    .build(GetItemCommand)
    .key({ tenantId: instance.tenantId, id: instance.recordId })
    .options({ consistent: true })
    .send()
  return Item as Governed | undefined
}

const stepOf = (instance: Instance) => instance.steps[instance.currentStep]

/**
 * Is the caller still what the step asked for, as the directory has them now? Someone who left cannot
 * call at all (their session is refused); someone who lost the role, or no longer leads the department,
 * may not decide.
 */
function mayStillDecide(session: Session, step: ApprovalStep) {
  const { approver } = step
  const still =
    approver.type === 'role'
      ? session.role === approver.role
      : approver.type === 'users' || session.role !== 'member'
  if (!still) throw forbidden('你已不再具备该步骤的审批资格')
}

/**
 * The caller's relation to the current step: an undecided approver of it decides; someone who was an
 * approver of it or of an earlier step finds it decided (409); anyone else is not on the step (404).
 */
function ensureOnStep(session: Session, instance: Instance) {
  const step = stepOf(instance)
  const me = session.userId
  if (instance.status === 'pending' && undecided(step).includes(me)) return step
  const involved = instance.steps.slice(0, instance.currentStep + 1).some((s) => s.approverIds.includes(me))
  throw involved ? alreadyDecided() : approvalNotFound()
}

/**
 * The instance's writes and, when its outcome changes the record (approved, rejected, withdrawn), the
 * record's, in one transaction: the record's side writes move the counters and amounts it now takes
 * effect in (and check the contract's caps again), conditioned on the record's version; the instance on
 * its own. Of two decisions at once one commits, the other reads again (`retryOnConflict`).
 */
async function settle(instance: Instance, seen: number, writes: Write[]): Promise<Instance> {
  const all = [instanceWrite(instance, seen), ...writes]
  if (instance.status === 'pending') {
    await commit(all, instance)
    return instance
  }
  const record = await readGoverned(instance)
  if (!record || record.approval?.id !== instance.id) {
    throw new AppError(409, 'approval.record_changed', '审批的记录已不存在或已重新提交')
  }
  const next = {
    ...record,
    approval: { id: instance.id, status: instance.status, flowName: instance.flowName },
    updatedAt: instance.updatedAt,
    version: record.version + 1,
  }
  await replaceRecord(governed[instance.collection], record, next, all)
  return instance
}

/**
 * 同意 / 驳回 by an approver of the current step. 或签: the first decision decides the step; 会签: it is
 * approved once every approver approved; a rejection ends the instance. An approved step hands over to
 * the next (its approvers' 待我审批 entries and cards); the last one approves the instance, and the
 * record takes effect in the same transaction.
 */
export const decide = (
  session: Session,
  id: string,
  decision: 'approve' | 'reject',
  comment: string | undefined,
): Promise<Instance> =>
  retryOnConflict(async () => {
    const current = await readInstance(session.tenantId, id)
    if (!current) throw approvalNotFound()
    const step = ensureOnStep(session, current)
    mayStillDecide(session, step)
    const at = nowIso()
    const decided: ApprovalStep = {
      ...step,
      decisions: [...step.decisions, { userId: session.userId, decision, ...(comment && { comment }), at }],
    }
    const stepDone = decision === 'reject' || decided.mode === 'or' || !undecided(decided).length
    if (stepDone) decided.status = decision === 'reject' ? 'rejected' : 'approved'
    const steps = current.steps.map((s, i) => (i === current.currentStep ? decided : s))
    const last = current.currentStep === steps.length - 1
    const advance = stepDone && decision === 'approve' && !last
    if (advance) steps[current.currentStep + 1] = { ...steps[current.currentStep + 1], status: 'pending' }
    const status = !stepDone || advance ? 'pending' : decision === 'reject' ? 'rejected' : 'approved'
    const next: Instance = {
      ...current,
      steps,
      status,
      currentStep: advance ? current.currentStep + 1 : current.currentStep,
      updatedAt: at,
      version: current.version + 1,
      ...(status !== 'pending' && { decidedAt: at }),
    }
    const stepLabel = current.steps.length > 1 ? `（第 ${current.currentStep + 1} 步）` : ''
    const verb = decision === 'approve' ? '同意' : '驳回'
    const writes: Write[] = [
      // the caller's entry moves from 待我审批 to 我已审批; a decided step leaves nobody's 待我审批
      boxDelete(current, 'TODO', session.userId),
      boxPut(current, 'DONE', session.userId),
      ...(stepDone
        ? undecided(step)
            .filter((userId) => userId !== session.userId)
            .map((userId) => boxDelete(current, 'TODO', userId))
        : []),
      ...stepActivity(
        session,
        current,
        decision === 'approve' ? 'approval.approved' : 'approval.rejected',
        `${verb}了「${current.flowName}」${stepLabel}${comment ? `：${comment}` : ''}`,
      ),
      // the step's to-do: done once decided, else down to those who have not decided (会签)
      ...stepTodoAfter(next, current.currentStep, stepDone),
      ...(advance
        ? [
            ...next.steps[next.currentStep].approverIds.map((userId) => boxPut(next, 'TODO', userId)),
            ...todoCard(next),
            ...stepTodo(next),
          ]
        : []),
      ...(status !== 'pending' ? [resultCard(session, next, comment)] : []),
    ]
    return settle(next, current.version, writes)
  })

/** 撤回 by the submitter while pending: the record becomes editable again and counts nowhere. */
export const withdraw = (session: Session, id: string, comment: string | undefined): Promise<Instance> =>
  retryOnConflict(async () => {
    const current = await readInstance(session.tenantId, id)
    if (!current || current.submitterId !== session.userId) throw approvalNotFound()
    if (current.status !== 'pending') throw alreadyDecided()
    const step = stepOf(current)
    const at = nowIso()
    const next: Instance = {
      ...current,
      status: 'withdrawn',
      steps: current.steps.map((s, i) => (i === current.currentStep ? { ...s, status: 'withdrawn' } : s)),
      updatedAt: at,
      decidedAt: at,
      version: current.version + 1,
    }
    return settle(next, current.version, [
      ...undecided(step).map((userId) => boxDelete(current, 'TODO', userId)),
      ...stepTodoGone(current, current.currentStep),
      ...stepActivity(
        session,
        current,
        'approval.withdrawn',
        `撤回了审批「${current.flowName}」${comment ? `：${comment}` : ''}`,
      ),
    ])
  })
