import { DeleteTransaction } from 'dynamodb-toolbox/entity/actions/transactDelete'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { $add } from 'dynamodb-toolbox/entity/actions/update/symbols'
import type * as z from 'zod'
import {
  Contract,
  type ContractFilter,
  type ContractInput,
  type ContractUpdate,
  Invoice,
  type InvoiceFilter,
  type InvoiceInput,
  type InvoiceUpdate,
  Payment,
  type PaymentFilter,
  type PaymentInput,
  PaymentPlan,
  type PaymentPlanFilter,
  type PaymentPlanInput,
  type PaymentPlanUpdate,
  type PaymentUpdate,
} from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { AppError, unprocessable } from '../../core/errors.js'
import { defineCollection, type StoredRecord } from '../../db/collection.js'
import type { Write } from '../../db/commit.js'
import {
  ContractEntity,
  GuardEntity,
  InvoiceEntity,
  PaymentEntity,
  PaymentPlanEntity,
} from '../../db/entities/deals.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all } from '../../db/filter.js'
import { newRecord, replaceRecord } from '../../db/records.js'
import { readDealSettings } from '../deals/settings.js'
import {
  changed,
  customerCounterWrites,
  dateRange,
  ensureChangeable,
  getVisible,
  insertRecord,
  listScoped,
  ownerFor,
  ownerIndex,
  removeVisible,
  versionConflict,
  visibleCustomer,
} from '../deals/records.js'
import { wonClockWrites } from '../customers/record.js'
import { getOpportunity } from '../opportunities/record.js'
import { retryOnConflict } from '../../db/retry.js'
import { type Contribution, statWrites, today } from '../stats/contributions.js'

/**
 * 合同 / 回款计划 / 回款 / 发票. Every amount a contract shows (received, invoiced, outstanding, planned)
 * lives on the contract item and moves with ADD in the transaction of the payment, invoice or plan that
 * changes it; those writes also bump the contract's `version`, so an edit of the contract that read an
 * older state fails (409) instead of overwriting them. Caps are conditions on the same ADD
 * (`outstandingAmount >= :amount`), so two racing payments cannot both slip past the contract amount.
 */
export type ContractRecord = StoredRecord &
  z.output<typeof Contract> & {
    deptId?: string
    uninvoicedAmount: number
    childCount: number
  }
export type PaymentPlanRecord = StoredRecord &
  Omit<z.output<typeof PaymentPlan>, 'overdue'> & { deptId?: string }
export type PaymentRecord = StoredRecord &
  z.output<typeof Payment> & {
    deptId?: string
    planDueDate?: string
    planOwnerId?: string
    planDeptId?: string
    allowOverpayment?: boolean
  }
export type InvoiceRecord = StoredRecord & z.output<typeof Invoice> & { deptId?: string }

const live = <R extends { deletedAt?: string }>(record: R | undefined) =>
  record && !record.deletedAt ? record : undefined
const liveAmount = (record: { amount: number; deletedAt?: string } | undefined) => live(record)?.amount ?? 0

// ---------------------------------------------------------------- writes kept with the records

const contractNumberKey = (number: string) => number.trim().toUpperCase()

/** The number guard follows the live contract: taken on create/restore, released on delete. */
function numberGuardWrites(before: ContractRecord | undefined, after: ContractRecord): Write[] {
  const was = live(before) && contractNumberKey(before!.number)
  const is = live(after) && contractNumberKey(after.number)
  if (was === is) return []
  const key = (value: string) => ({ tenantId: after.tenantId, kind: TAG.contractNumber, value })
  return [
    ...(was ? [{ action: GuardEntity.build(DeleteTransaction).key(key(was)) }] : []),
    ...(is
      ? [
          {
            action: GuardEntity.build(PutTransaction)
              .item({ ...key(is), recordId: after.id })
              .options({ condition: { attr: 'recordId', exists: false } }),
            onConditionFail: () => new AppError(409, 'contract.duplicate', `合同编号 ${after.number} 已存在`),
          },
        ]
      : []),
  ]
}

/**
 * 已成交合同金额: the customer's `wonAmount` moves with its live contracts (version +1 against lost
 * updates). A new contract is a won deal: `lastWonAt` restarts the customer's "no won deal" clock
 * (createContract moves the clock's index entry in the same transaction, `wonClockWrites`); an edit, a
 * restore or a merge moving an old contract is not a new deal.
 */
function wonAmountWrites(before: ContractRecord | undefined, after: ContractRecord): Write[] {
  const deltas = new Map<string, number>()
  if (before) deltas.set(before.customerId, -liveAmount(before))
  deltas.set(after.customerId, (deltas.get(after.customerId) ?? 0) + liveAmount(after))
  const won = before ? undefined : { customerId: after.customerId, at: after.createdAt }
  return customerCounterWrites(after.tenantId, 'wonAmount', deltas, won, '合同')
}

export const contractContributions = (c: ContractRecord): Contribution[] => [
  { metric: 'contractAmount', day: c.signedAt, value: c.amount, ownerId: c.ownerId, deptId: c.deptId },
]

export const Contracts = defineCollection<ContractRecord>({
  name: 'contract',
  path: 'contracts',
  tag: TAG.contract,
  entity: ContractEntity,
  schema: Contract,
  label: (c) => `${c.number} ${c.name}`,
  indexKeys: (c) => ({
    gsi2pk: tenantKey(c.tenantId, TAG.customer, c.customerId),
    gsi2sk: `CTR#${c.id}`,
    ...ownerIndex(TAG.contract, c),
  }),
  sideWrites: (before, after) => [
    ...numberGuardWrites(before, after),
    ...wonAmountWrites(before, after),
    ...statWrites(contractContributions, before, after),
  ],
})

interface ContractDelta {
  received?: number
  invoiced?: number
  planned?: number
  children: number
}

/**
 * A child's change applied to its contract: ADD the amounts, +1 version; the contract must be live,
 * and a cap (`outstandingAmount` / `uninvoicedAmount` ≥ the increase) holds when asked.
 */
function contractWrite(
  tenantId: string,
  contractId: string,
  delta: ContractDelta,
  cap: { attr: 'outstandingAmount' | 'uninvoicedAmount'; amount: number } | undefined,
  onConditionFail: () => AppError,
): Write[] {
  const { received = 0, invoiced = 0, planned = 0, children } = delta
  if (!received && !invoiced && !planned && !children) return []
  return [
    {
      action: ContractEntity.build(UpdateTransaction)
        .item({
          tenantId,
          id: contractId,
          ...(received ? { receivedAmount: $add(received), outstandingAmount: $add(-received) } : {}),
          ...(invoiced ? { invoicedAmount: $add(invoiced), uninvoicedAmount: $add(-invoiced) } : {}),
          ...(planned ? { plannedAmount: $add(planned) } : {}),
          ...(children ? { childCount: $add(children) } : {}),
          updatedAt: nowIso(),
          version: $add(1),
        })
        .options({
          condition: all(
            { attr: 'id', exists: true },
            { attr: 'deletedAt', exists: false },
            cap && cap.amount > 0 && { attr: cap.attr, gte: cap.amount },
          ),
        }),
      onConditionFail,
    },
  ]
}

const childCount = (before: { deletedAt?: string } | undefined, after: { deletedAt?: string }) =>
  (live(after) ? 1 : 0) - (live(before) ? 1 : 0)

// ---------------------------------------------------------------- 回款计划

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

// ---------------------------------------------------------------- 回款

export const paymentContributions = (p: PaymentRecord): Contribution[] => [
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
    if (!live(payment)?.planId) return
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
  indexKeys: (p) => ({
    gsi2pk: tenantKey(p.tenantId, TAG.contract, p.contractId),
    gsi2sk: `PAY#${p.id}`,
    ...ownerIndex(TAG.payment, p),
  }),
  sideWrites: (before, after) => {
    const received = liveAmount(after) - liveAmount(before)
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

// ---------------------------------------------------------------- 发票

export const Invoices = defineCollection<InvoiceRecord>({
  name: 'invoice',
  path: 'invoices',
  tag: TAG.invoice,
  entity: InvoiceEntity,
  schema: Invoice,
  label: (i) => `发票 ${i.title} ¥${i.amount / 100}`,
  indexKeys: (i) => ({
    gsi2pk: tenantKey(i.tenantId, TAG.contract, i.contractId),
    gsi2sk: `INV#${i.id}`,
    ...ownerIndex(TAG.invoice, i),
  }),
  sideWrites: (before, after) => {
    const invoiced = liveAmount(after) - liveAmount(before)
    return contractWrite(
      after.tenantId,
      after.contractId,
      { invoiced, children: childCount(before, after) },
      { attr: 'uninvoicedAmount', amount: invoiced },
      () => unprocessable('invoice.exceeds_contract', '开票金额超过合同未开票金额（或合同已删除）'),
    )
  },
})

// ---------------------------------------------------------------- verbs: contracts

async function checkOpportunity(session: Session, customerId: string, opportunityId: string | undefined) {
  if (!opportunityId) return
  const opportunity = await getOpportunity(session, opportunityId)
  if (opportunity.customerId !== customerId) {
    throw unprocessable('contract.opportunity_mismatch', '商机不属于该客户')
  }
}

export function createContract(session: Session, input: z.output<typeof ContractInput>) {
  // a release landing between the read and the write moves the won clock away: read again
  return retryOnConflict(() => insertContract(session, input))
}

async function insertContract(session: Session, input: z.output<typeof ContractInput>) {
  const customer = await visibleCustomer(session, input.customerId)
  await checkOpportunity(session, customer.id, input.opportunityId)
  const owner = await ownerFor(session, input.ownerId)
  const record = newRecord(session, {
    ...input,
    ownerId: owner.id,
    deptId: owner.deptId,
    receivedAmount: 0,
    invoicedAmount: 0,
    outstandingAmount: input.amount,
    uninvoicedAmount: input.amount,
    plannedAmount: 0,
    childCount: 0,
  }) as ContractRecord
  return insertRecord(Contracts, record, wonClockWrites(customer, record.createdAt))
}

export async function updateContract(
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof ContractUpdate>> & { version: number },
) {
  const current = await getVisible(Contracts, session, id)
  ensureChangeable(session, current)
  if (current.version !== version) throw versionConflict()
  if (changes.opportunityId !== undefined)
    await checkOpportunity(session, current.customerId, changes.opportunityId)
  const owner = await ownerFor(session, changes.ownerId, { id: current.ownerId, deptId: current.deptId })
  const amount = changes.amount ?? current.amount
  const next = changed(current, {
    ...changes,
    ownerId: owner.id,
    deptId: owner.deptId,
    outstandingAmount: amount - current.receivedAmount,
    uninvoicedAmount: amount - current.invoicedAmount,
  })
  // only a new amount is checked: an overpaid contract (allowed at the time) stays editable otherwise
  const lowered = changes.amount !== undefined && changes.amount < current.amount
  if (lowered && next.uninvoicedAmount < 0) {
    throw unprocessable('contract.amount_below_invoiced', '合同金额不能低于已开票金额')
  }
  if (lowered && next.outstandingAmount < 0 && !(await readDealSettings(session.tenantId)).allowOverpayment) {
    throw unprocessable('contract.amount_below_received', '合同金额不能低于已回款金额')
  }
  return replaceRecord(Contracts, current, next)
}

export async function removeContract(session: Session, id: string) {
  const current = await getVisible(Contracts, session, id)
  ensureChangeable(session, current)
  if (current.childCount > 0) {
    throw unprocessable('contract.has_children', '请先删除该合同的回款计划、回款和发票')
  }
  return removeVisible(Contracts, session, current)
}

export async function listContracts(session: Session, query: z.output<typeof ContractFilter>) {
  if (query.customerId) await visibleCustomer(session, query.customerId)
  // an opportunity's contracts are its customer's (createContract checks it): that tab, filtered to it
  const customerId =
    query.customerId ??
    (query.opportunityId && (await getOpportunity(session, query.opportunityId)).customerId)
  return listScoped(Contracts, session, query, {
    filter: all(
      query.opportunityId && { attr: 'opportunityId', eq: query.opportunityId },
      query.type && { attr: 'type', eq: query.type },
      query.q && {
        or: [
          { attr: 'name', contains: query.q },
          { attr: 'number', contains: query.q },
        ],
      },
      dateRange('signedAt', query.signedFrom, query.signedTo),
    ),
    parent: customerId
      ? { partition: tenantKey(session.tenantId, TAG.customer, customerId), prefix: 'CTR#' }
      : undefined,
  })
}

export const getContract = (session: Session, id: string) => getVisible(Contracts, session, id)

/** The parent of a plan, payment or invoice: a live contract the caller may see. */
const contractOf = (session: Session, contractId: string) => getVisible(Contracts, session, contractId)

/** The fields a child copies from its contract (customer, owner unless named). */
async function childFields(session: Session, contract: ContractRecord, ownerId?: string) {
  const owner = await ownerFor(session, ownerId, { id: contract.ownerId, deptId: contract.deptId })
  return { customerId: contract.customerId, ownerId: owner.id, deptId: owner.deptId }
}

const contractTab = (session: Session, contractId: string, prefix: string) => ({
  partition: tenantKey(session.tenantId, TAG.contract, contractId),
  prefix,
})

// ---------------------------------------------------------------- verbs: plans

export async function createPlan(session: Session, input: z.output<typeof PaymentPlanInput>) {
  const contract = await contractOf(session, input.contractId)
  const record = newRecord(session, {
    ...input,
    ...(await childFields(session, contract)),
    receivedAmount: 0,
    unpaidAmount: input.amount,
  }) as PaymentPlanRecord
  return withOverdue(await insertRecord(PaymentPlans, record))
}

export async function updatePlan(
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof PaymentPlanUpdate>> & { version: number },
) {
  const current = await getVisible(PaymentPlans, session, id)
  ensureChangeable(session, current)
  if (current.version !== version) throw versionConflict()
  const next = changed(current, changes)
  next.unpaidAmount = next.amount - next.receivedAmount
  if (next.unpaidAmount < 0) throw unprocessable('plan.amount_below_received', '计划金额不能低于已回款金额')
  if (next.dueDate !== current.dueDate && current.receivedAmount > 0) {
    throw unprocessable('plan.has_payments', '已有回款的回款计划不能修改计划日期')
  }
  return withOverdue(await replaceRecord(PaymentPlans, current, next))
}

export async function removePlan(session: Session, id: string) {
  const current = await getVisible(PaymentPlans, session, id)
  ensureChangeable(session, current)
  if (current.receivedAmount > 0) throw unprocessable('plan.has_payments', '请先删除该回款计划下的回款')
  return removeVisible(PaymentPlans, session, current)
}

export const getPlan = async (session: Session, id: string) =>
  withOverdue(await getVisible(PaymentPlans, session, id))

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

// ---------------------------------------------------------------- verbs: payments

/** What a payment copies from the plan it pays (the plan must belong to the same contract). */
async function planFields(session: Session, contractId: string, planId: string | undefined) {
  if (!planId)
    return { planId: undefined, planDueDate: undefined, planOwnerId: undefined, planDeptId: undefined }
  const plan = await getVisible(PaymentPlans, session, planId)
  if (plan.contractId !== contractId) throw unprocessable('payment.plan_mismatch', '回款计划不属于该合同')
  return { planId, planDueDate: plan.dueDate, planOwnerId: plan.ownerId, planDeptId: plan.deptId, plan }
}

export async function createPayment(session: Session, input: z.output<typeof PaymentInput>) {
  const [contract, settings] = await Promise.all([
    contractOf(session, input.contractId),
    readDealSettings(session.tenantId),
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
  return insertRecord(Payments, record)
}

export async function updatePayment(
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof PaymentUpdate>> & { version: number },
) {
  const current = await getVisible(Payments, session, id)
  ensureChangeable(session, current)
  if (current.version !== version) throw versionConflict()
  const [contract, settings] = await Promise.all([
    contractOf(session, current.contractId),
    readDealSettings(session.tenantId),
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
  return replaceRecord(Payments, current, next)
}

export async function removePayment(session: Session, id: string) {
  const current = await getVisible(Payments, session, id)
  ensureChangeable(session, current)
  return removeVisible(Payments, session, current)
}

export const getPayment = (session: Session, id: string) => getVisible(Payments, session, id)

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

// ---------------------------------------------------------------- verbs: invoices

export async function createInvoice(session: Session, input: z.output<typeof InvoiceInput>) {
  const contract = await contractOf(session, input.contractId)
  if (input.amount > contract.uninvoicedAmount) {
    throw unprocessable(
      'invoice.exceeds_contract',
      `开票金额超过合同未开票金额 ¥${contract.uninvoicedAmount / 100}`,
    )
  }
  const record = newRecord(session, { ...input, ...(await childFields(session, contract)) }) as InvoiceRecord
  return insertRecord(Invoices, record)
}

export async function updateInvoice(
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof InvoiceUpdate>> & { version: number },
) {
  const current = await getVisible(Invoices, session, id)
  ensureChangeable(session, current)
  if (current.version !== version) throw versionConflict()
  return replaceRecord(Invoices, current, changed(current, changes))
}

export async function removeInvoice(session: Session, id: string) {
  const current = await getVisible(Invoices, session, id)
  ensureChangeable(session, current)
  return removeVisible(Invoices, session, current)
}

export const getInvoice = (session: Session, id: string) => getVisible(Invoices, session, id)

export async function listInvoices(session: Session, query: z.output<typeof InvoiceFilter>) {
  if (query.contractId) await contractOf(session, query.contractId)
  return listScoped(Invoices, session, query, {
    filter: all(
      query.q && {
        or: [
          { attr: 'title', contains: query.q },
          { attr: 'number', contains: query.q },
        ],
      },
      query.type && { attr: 'type', eq: query.type },
      dateRange('issuedAt', query.issuedFrom, query.issuedTo),
    ),
    parent: query.contractId ? contractTab(session, query.contractId, 'INV#') : undefined,
  })
}
