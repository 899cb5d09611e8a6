import type * as z from 'zod'
import {
  PaymentPlan,
  type PaymentPlanFilter,
  type PaymentPlanInput,
  type PaymentPlanUpdate,
} from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { unprocessable } from '../../core/errors.js'
import { defineCollection, type StoredRecord } from '../../db/collection.js'
import { PaymentPlanEntity } from '../../db/entities/deals.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all } from '../../db/filter.js'
import { changed, editRecord, getRecord, insertRecord, newRecord, replaceRecord } from '../../db/records.js'
import {
  dateRange,
  ensureChangeable,
  listScoped,
  ownerIndex,
  removeDeal,
  seesDeal,
} from '../deals/records.js'
import { type Contribution, statWrites, today } from '../stats/contributions.js'
import { childCount, childFields, contractOf, contractTab, contractWrite } from '../contracts/children.js'
import { liveAmount } from '../contracts/record.js'
import { dealActivity } from '../deals/activity.js'

/** 回款计划: a contract's planned payments (`plannedAmount` on the contract moves with them). */
export type PaymentPlanRecord = StoredRecord &
  Omit<z.output<typeof PaymentPlan>, 'overdue'> & { deptId?: string }

export const planContributions = (p: PaymentPlanRecord): Contribution[] => [
  { metric: 'planned', day: p.dueDate, value: p.amount, ownerId: p.ownerId, deptId: p.deptId },
]

export const PaymentPlans = defineCollection<PaymentPlanRecord>({
  name: 'payment_plan',
  path: 'payment-plans',
  tag: TAG.paymentPlan,
  entity: PaymentPlanEntity,
  // `overdue` is derived when read (withOverdue); the recycle bin answers the stored plan
  schema: PaymentPlan.partial({ overdue: true }),
  visible: seesDeal,
  label: (p) => `回款计划 ${p.dueDate} ¥${p.amount / 100}`,
  indexKeys: (p) => ({
    gsi2pk: tenantKey(p.tenantId, TAG.contract, p.contractId),
    gsi2sk: `PLN#${p.dueDate}#${p.id}`,
    ...ownerIndex(TAG.paymentPlan, p),
  }),
  sideWrites: (before, after) => [
    ...contractWrite(
      after.tenantId,
      after.contractId,
      { planned: liveAmount(after) - liveAmount(before), children: childCount(before, after) },
      undefined,
      () => unprocessable('contract.not_found', '合同不存在或已删除'),
    ),
    ...statWrites(planContributions, before, after),
  ],
})

/** A plan as read: overdue when something is unpaid after its due date (tenant day). */
export const withOverdue = (plan: PaymentPlanRecord) => ({
  ...plan,
  overdue: plan.unpaidAmount > 0 && plan.dueDate < today(),
})

/** `withOverdue`'s rule as a list filter (`?overdue=`), on today's tenant day. */
const overdueFilter = (overdue: boolean) => {
  const day = today()
  return overdue
    ? {
        and: [
          { attr: 'unpaidAmount', gt: 0 },
          { attr: 'dueDate', lt: day },
        ],
      }
    : {
        or: [
          { attr: 'unpaidAmount', lte: 0 },
          { attr: 'dueDate', gte: day },
        ],
      }
}

export async function createPlan(session: Session, input: z.output<typeof PaymentPlanInput>) {
  const contract = await contractOf(session, input.contractId)
  const record = newRecord(session, {
    ...input,
    ...(await childFields(session, contract)),
    receivedAmount: 0,
    unpaidAmount: input.amount,
  }) as PaymentPlanRecord
  return withOverdue(
    await insertRecord(
      PaymentPlans,
      record,
      dealActivity(session, PaymentPlans, undefined, record, { contract }),
    ),
  )
}

export const updatePlan = (
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof PaymentPlanUpdate>> & { version: number },
) =>
  editRecord(PaymentPlans, session, id, {
    version,
    may: (current) => ensureChangeable(session, current),
    change: async (current) => {
      const next = changed(current, changes)
      next.unpaidAmount = next.amount - next.receivedAmount
      if (next.unpaidAmount < 0)
        throw unprocessable('plan.amount_below_received', '计划金额不能低于已回款金额')
      if (next.dueDate !== current.dueDate && current.receivedAmount > 0) {
        throw unprocessable('plan.has_payments', '已有回款的回款计划不能修改计划日期')
      }
      return withOverdue(
        await replaceRecord(PaymentPlans, current, next, dealActivity(session, PaymentPlans, current, next)),
      )
    },
  })

export const removePlan = (session: Session, id: string) =>
  removeDeal(PaymentPlans, session, id, (current) => {
    if (current.receivedAmount > 0) throw unprocessable('plan.has_payments', '请先删除该回款计划下的回款')
  })

export const getPlan = async (session: Session, id: string) =>
  withOverdue(await getRecord(PaymentPlans, session, id))

export async function listPlans(session: Session, query: z.output<typeof PaymentPlanFilter>) {
  if (query.contractId) await contractOf(session, query.contractId)
  const page = await listScoped(PaymentPlans, session, query, {
    filter: all(
      query.q && { attr: 'remark', contains: query.q },
      dateRange('dueDate', query.dueFrom, query.dueTo),
      query.overdue !== undefined && overdueFilter(query.overdue),
    ),
    parent: query.contractId ? contractTab(session, query.contractId, 'PLN#') : undefined,
  })
  return { ...page, items: page.items.map(withOverdue) }
}
