import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { $add } from 'dynamodb-toolbox/entity/actions/update/symbols'
import type * as z from 'zod'
import {
  Payment,
  type PaymentFilter,
  type PaymentInput,
  type PaymentUpdate,
} from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { unprocessable } from '../../core/errors.js'
import { defineCollection, type StoredRecord } from '../../db/collection.js'
import type { Write } from '../../db/commit.js'
import { PaymentEntity, PaymentPlanEntity } from '../../db/entities/deals.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all } from '../../db/filter.js'
import { changed, editRecord, getRecord, insertRecord, newRecord, replaceRecord } from '../../db/records.js'
import { heldDealSettings } from '../deals/settings.js'
import {
  dateRange,
  ensureChangeable,
  listScoped,
  ownerFor,
  ownerIndex,
  removeDeal,
  seesDeal,
  visibleCustomer,
} from '../deals/records.js'
import { type Contribution, statWrites } from '../stats/contributions.js'
import { childCount, childFields, contractOf, contractTab, contractWrite } from '../contracts/children.js'
import { counted, countedAmount } from '../contracts/record.js'
import { inEffect } from '../approvals/effect.js'
import { gate } from '../approvals/submission.js'
import { PaymentPlans } from '../payment-plans/record.js'
import { dealActivity } from '../deals/activity.js'

/** 回款: a contract's received payments, each against a plan or not. */
export type PaymentRecord = StoredRecord &
  z.output<typeof Payment> & {
    deptId?: string
    planDueDate?: string
    planOwnerId?: string
    planDeptId?: string
    allowOverpayment?: boolean
  }

/** 回款金额 (and paid-on-plan) once the payment is in effect (approved). */
export const paymentContributions = (p: PaymentRecord): Contribution[] =>
  inEffect(p) ? paymentAmounts(p) : []
const paymentAmounts = (p: PaymentRecord): Contribution[] => [
  { metric: 'paymentAmount', day: p.receivedAt, value: p.amount, ownerId: p.ownerId, deptId: p.deptId },
  ...(p.planId && p.planDueDate
    ? [
        {
          metric: 'planPaid' as const,
          day: p.planDueDate,
          value: p.amount,
          ownerId: p.planOwnerId,
          deptId: p.planDeptId,
        },
      ]
    : []),
]

/** A payment's change applied to the plans it pays: ADD, +1 version, never beyond the plan's amount. */
function planWrites(before: PaymentRecord | undefined, after: PaymentRecord): Write[] {
  const deltas = new Map<string, { delta: number; dueDate: string }>()
  const move = (payment: PaymentRecord | undefined, sign: number) => {
    if (!counted(payment)?.planId) return
    const seen = deltas.get(payment!.planId!)
    deltas.set(payment!.planId!, {
      delta: (seen?.delta ?? 0) + sign * payment!.amount,
      dueDate: payment!.planDueDate!,
    })
  }
  move(before, -1)
  move(after, +1)
  return [...deltas]
    .filter(([, { delta }]) => delta !== 0)
    .map(([planId, { delta, dueDate }]) => ({
      action: PaymentPlanEntity.build(UpdateTransaction)
        .item({
          tenantId: after.tenantId,
          id: planId,
          receivedAmount: $add(delta),
          unpaidAmount: $add(-delta),
          version: $add(1),
        })
        .options({
          condition: all(
            { attr: 'id', exists: true },
            { attr: 'deletedAt', exists: false },
            // the plan's due date is what the payment's counters were filed under
            delta > 0 && { attr: 'dueDate', eq: dueDate },
            delta > 0 && { attr: 'unpaidAmount', gte: delta },
          ),
        }),
      onConditionFail: () =>
        unprocessable('payment.exceeds_plan', '回款金额超过该回款计划的未回款金额，或回款计划已删除/变更'),
    }))
}

export const Payments = defineCollection<PaymentRecord>({
  name: 'payment',
  path: 'payments',
  tag: TAG.payment,
  entity: PaymentEntity,
  schema: Payment,
  label: (p) => `回款 ${p.receivedAt} ¥${p.amount / 100}`,
  visible: seesDeal,
  indexKeys: (p) => ({
    gsi2pk: tenantKey(p.tenantId, TAG.contract, p.contractId),
    gsi2sk: `PAY#${p.id}`,
    ...ownerIndex(TAG.payment, p),
  }),
  sideWrites: (before, after) => {
    const received = countedAmount(after) - countedAmount(before)
    return [
      ...contractWrite(
        after.tenantId,
        after.contractId,
        { received, children: childCount(before, after) },
        after.allowOverpayment ? undefined : { attr: 'outstandingAmount', amount: received },
        () => unprocessable('payment.exceeds_contract', '回款金额超过合同未回款金额（或合同已删除）'),
      ),
      ...planWrites(before, after),
      ...statWrites(paymentContributions, before, after),
    ]
  },
})

/** What a payment copies from the plan it pays (the plan must belong to the same contract). */
async function planFields(session: Session, contractId: string, planId: string | undefined) {
  if (!planId)
    return { planId: undefined, planDueDate: undefined, planOwnerId: undefined, planDeptId: undefined }
  const plan = await getRecord(PaymentPlans, session, planId)
  if (plan.contractId !== contractId) throw unprocessable('payment.plan_mismatch', '回款计划不属于该合同')
  return { planId, planDueDate: plan.dueDate, planOwnerId: plan.ownerId, planDeptId: plan.deptId, plan }
}

export async function createPayment(session: Session, input: z.output<typeof PaymentInput>) {
  const [contract, settings] = await Promise.all([
    contractOf(session, input.contractId),
    heldDealSettings(session.tenantId),
  ])
  if (!settings.allowOverpayment && input.amount > contract.outstandingAmount) {
    throw unprocessable(
      'payment.exceeds_contract',
      `回款金额超过合同未回款金额 ¥${contract.outstandingAmount / 100}`,
    )
  }
  const { plan, ...linked } = await planFields(session, contract.id, input.planId)
  if (plan && input.amount > plan.unpaidAmount) {
    throw unprocessable(
      'payment.exceeds_plan',
      `回款金额超过该回款计划的未回款金额 ¥${plan.unpaidAmount / 100}`,
    )
  }
  const record = newRecord(session, {
    ...input,
    ...(await childFields(session, contract, input.ownerId)),
    ...linked,
    allowOverpayment: settings.allowOverpayment || undefined,
  }) as PaymentRecord
  const gated = await gate(session, 'payments', 'create', record, Payments.label(record))
  return insertRecord(Payments, gated.record, [
    ...dealActivity(session, Payments, undefined, record, { contract }),
    ...gated.writes,
  ])
}

export const updatePayment = (
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof PaymentUpdate>> & { version: number },
) =>
  editRecord(Payments, session, id, {
    version,
    may: (current) => ensureChangeable(session, current),
    change: (current) => changePayment(session, current, changes),
  })

async function changePayment(
  session: Session,
  current: PaymentRecord,
  changes: Partial<z.output<typeof PaymentUpdate>>,
) {
  const [contract, settings] = await Promise.all([
    contractOf(session, current.contractId),
    heldDealSettings(session.tenantId),
  ])
  const planId = 'planId' in changes ? changes.planId : current.planId
  const { plan: _plan, ...linked } =
    planId === current.planId
      ? {
          planId,
          planDueDate: current.planDueDate,
          planOwnerId: current.planOwnerId,
          planDeptId: current.planDeptId,
        }
      : await planFields(session, contract.id, planId)
  const owner = await ownerFor(session, changes.ownerId, { id: current.ownerId, deptId: current.deptId })
  const next = changed(current, {
    ...changes,
    ...linked,
    ownerId: owner.id,
    deptId: owner.deptId,
    allowOverpayment: settings.allowOverpayment || undefined,
  })
  if (!settings.allowOverpayment && next.amount - current.amount > contract.outstandingAmount) {
    throw unprocessable(
      'payment.exceeds_contract',
      `回款金额超过合同未回款金额 ¥${contract.outstandingAmount / 100}`,
    )
  }
  const gated = await gate(session, 'payments', 'update', next, Payments.label(next))
  return replaceRecord(Payments, current, gated.record, [
    ...dealActivity(session, Payments, current, next, { contract }),
    ...gated.writes,
  ])
}

export const removePayment = (session: Session, id: string) => removeDeal(Payments, session, id)

export const getPayment = (session: Session, id: string) => getRecord(Payments, session, id)

export async function listPayments(session: Session, query: z.output<typeof PaymentFilter>) {
  if (query.contractId) await contractOf(session, query.contractId)
  if (query.customerId) await visibleCustomer(session, query.customerId)
  // payments have no tab under their customer (theirs is the contract's): the collection, filtered to it
  const customerPayments = { index: 'gsi1' as const, partition: tenantKey(session.tenantId, Payments.tag) }
  return listScoped(Payments, session, query, {
    filter: all(
      query.customerId && { attr: 'customerId', eq: query.customerId },
      query.q && { attr: 'remark', contains: query.q },
      query.method && { attr: 'method', eq: query.method },
      dateRange('receivedAt', query.receivedFrom, query.receivedTo),
    ),
    parent: query.contractId
      ? contractTab(session, query.contractId, 'PAY#')
      : query.customerId
        ? customerPayments
        : undefined,
  })
}
