import type * as z from 'zod'
import {
  Contract,
  type ContractFilter,
  type ContractInput,
  type ContractUpdate,
} from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { AppError, unprocessable } from '../../core/errors.js'
import { defineCollection, type StoredRecord } from '../../db/collection.js'
import type { Write } from '../../db/commit.js'
import { ContractEntity } from '../../db/entities/deals.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all } from '../../db/filter.js'
import { changed, editRecord, getRecord, insertRecord, newRecord, replaceRecord } from '../../db/records.js'
import { heldDealSettings } from '../deals/settings.js'
import {
  customerCounterWrites,
  dateRange,
  ensureChangeable,
  listScoped,
  ownerFor,
  ownerIndex,
  removeDeal,
  seesDeal,
  visibleCustomer,
} from '../deals/records.js'
import { linesChange, productSalesWrites } from '../catalog/lines.js'
import { wonClockWrites } from '../customers/record.js'
import { getOpportunity } from '../opportunities/record.js'
import { retryOnConflict } from '../../db/retry.js'
import { dealSearchEntries } from '../search/entries.js'
import { deleteEntry, type Entry, entryDiff, putEntryIfAbsent } from '../../db/entries.js'
import { type Contribution, statWrites } from '../stats/contributions.js'
import { dealActivity } from '../deals/activity.js'
import { inEffect } from '../approvals/effect.js'
import { gate } from '../approvals/submission.js'

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

export const live = <R extends { deletedAt?: string }>(record: R | undefined) =>
  record && !record.deletedAt ? record : undefined
export const liveAmount = (record: { amount: number; deletedAt?: string } | undefined) =>
  live(record)?.amount ?? 0
/** Live and in effect (no approval, or approved): what a record adds to amounts and reports. */
export const counted = <R extends { deletedAt?: string; approval?: { status: string } }>(
  record: R | undefined,
) => (live(record) && inEffect(record) ? record : undefined)
export const countedAmount = (
  record: { amount: number; deletedAt?: string; approval?: { status: string } } | undefined,
) => counted(record)?.amount ?? 0

const contractNumberKey = (number: string) => number.trim().toUpperCase()

/**
 * A live contract's entries: first its number guard (`T#t#CTRNO#<NUMBER>`), which carries the first
 * three of its search postings on its index keys, then the rest of its search entries (`dealSearchEntries`).
 */
const contractEntries = (r: ContractRecord | undefined, legacy = false): Entry[] =>
  live(r)
    ? dealSearchEntries('contracts', r, {
        legacy,
        head: {
          pk: tenantKey(r!.tenantId, TAG.contractNumber, contractNumberKey(r!.number)),
          sk: '#',
          tenantId: r!.tenantId,
          kind: 'search',
        },
      })
    : []

/** The entries of the format before the number guard carried postings (`npm run reindex` removes them). */
export const legacyContractEntries = (r: ContractRecord) => contractEntries(r, true)

/**
 * The writes that keep a contract's entries: its search entries as any record's (`entryDiff`), and its
 * number guard taken on create, restore or a new number — only if no other contract holds it (409
 * `contract.duplicate`) — and released on delete.
 */
function contractEntryWrites(before: ContractRecord | undefined, after: ContractRecord): Write[] {
  const [guardBefore, ...searchBefore] = contractEntries(before)
  const [guardAfter, ...searchAfter] = contractEntries(after)
  const writes = entryDiff(searchBefore, searchAfter)
  if (guardBefore && guardBefore.pk !== guardAfter?.pk) writes.push(deleteEntry(guardBefore))
  if (guardAfter && guardAfter.pk !== guardBefore?.pk)
    writes.push({
      ...putEntryIfAbsent(guardAfter),
      onConditionFail: () => new AppError(409, 'contract.duplicate', `合同编号 ${after.number} 已存在`),
    })
  else if (guardAfter) writes.push(...entryDiff([guardBefore!], [guardAfter]))
  return writes
}

/**
 * 已成交合同金额: the customer's `wonAmount` moves with its live contracts (version +1 against lost
 * updates). A new contract is a won deal: `lastWonAt` restarts the customer's "no won deal" clock
 * (createContract moves the clock's index entry in the same transaction, `wonClockWrites`); an edit, a
 * restore or a merge moving an old contract is not a new deal.
 */
function wonAmountWrites(before: ContractRecord | undefined, after: ContractRecord): Write[] {
  const deltas = new Map<string, number>()
  if (before) deltas.set(before.customerId, -countedAmount(before))
  deltas.set(after.customerId, (deltas.get(after.customerId) ?? 0) + countedAmount(after))
  const won = before ? undefined : { customerId: after.customerId, at: after.createdAt }
  return customerCounterWrites(after.tenantId, 'wonAmount', deltas, won, '合同')
}

/** 合同金额 on the day it was signed, for its owner — once the contract is in effect (approved). */
export const contractContributions = (c: ContractRecord): Contribution[] =>
  inEffect(c)
    ? [{ metric: 'contractAmount', day: c.signedAt, value: c.amount, ownerId: c.ownerId, deptId: c.deptId }]
    : []

export const Contracts = defineCollection<ContractRecord>({
  name: 'contract',
  path: 'contracts',
  tag: TAG.contract,
  entity: ContractEntity,
  schema: Contract,
  label: (c) => `${c.number} ${c.name}`,
  visible: seesDeal,
  indexKeys: (c) => ({
    gsi2pk: tenantKey(c.tenantId, TAG.customer, c.customerId),
    gsi2sk: `CTR#${c.id}`,
    ...ownerIndex(TAG.contract, c),
  }),
  sideWrites: (before, after) => [
    ...wonAmountWrites(before, after),
    ...statWrites(contractContributions, before, after),
    ...contractEntryWrites(before, after),
    ...productSalesWrites(before, after),
  ],
})

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
  const [owner, priced] = await Promise.all([ownerFor(session, input.ownerId), linesChange(session, input)])
  const amount = priced.amount ?? input.amount
  if (amount === undefined) {
    throw new AppError(400, 'validation.failed', '「amount」请填写合同金额', [
      { path: ['amount'], message: '请填写合同金额（或产品明细）' },
    ])
  }
  const record = newRecord(session, {
    ...input,
    ...priced,
    amount,
    ownerId: owner.id,
    deptId: owner.deptId,
    receivedAmount: 0,
    invoicedAmount: 0,
    outstandingAmount: amount,
    uninvoicedAmount: amount,
    plannedAmount: 0,
    childCount: 0,
  }) as ContractRecord
  const gated = await gate(session, 'contracts', 'create', record, Contracts.label(record))
  return insertRecord(Contracts, gated.record, [
    ...wonClockWrites(customer, record.createdAt),
    ...dealActivity(session, Contracts, undefined, record, { customer }),
    ...gated.writes,
  ])
}

export const updateContract = (
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof ContractUpdate>> & { version: number },
) =>
  editRecord(Contracts, session, id, {
    version,
    may: (current) => ensureChangeable(session, current),
    change: (current) => changeContract(session, current, changes),
  })

async function changeContract(
  session: Session,
  current: ContractRecord,
  changes: Partial<z.output<typeof ContractUpdate>>,
) {
  if (changes.opportunityId !== undefined)
    await checkOpportunity(session, current.customerId, changes.opportunityId)
  const [owner, priced] = await Promise.all([
    ownerFor(session, changes.ownerId, { id: current.ownerId, deptId: current.deptId }),
    linesChange(session, changes, current),
  ])
  const amount = priced.amount ?? changes.amount ?? current.amount
  const { lines: _sent, ...fields } = changes
  const next = changed(current, {
    ...fields,
    ...priced,
    amount,
    ownerId: owner.id,
    deptId: owner.deptId,
    outstandingAmount: amount - current.receivedAmount,
    uninvoicedAmount: amount - current.invoicedAmount,
  })
  // only a new amount is checked: an overpaid contract (allowed at the time) stays editable otherwise
  const lowered = amount < current.amount
  if (lowered && next.uninvoicedAmount < 0) {
    throw unprocessable('contract.amount_below_invoiced', '合同金额不能低于已开票金额')
  }
  if (lowered && next.outstandingAmount < 0 && !(await heldDealSettings(session.tenantId)).allowOverpayment) {
    throw unprocessable('contract.amount_below_received', '合同金额不能低于已回款金额')
  }
  const gated = await gate(session, 'contracts', 'update', next, Contracts.label(next))
  return replaceRecord(Contracts, current, gated.record, [
    ...dealActivity(session, Contracts, current, next),
    ...gated.writes,
  ])
}

export const removeContract = (session: Session, id: string) =>
  removeDeal(Contracts, session, id, (current) => {
    if (current.childCount > 0) {
      throw unprocessable('contract.has_children', '请先删除该合同的回款计划、回款和发票')
    }
  })

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

export const getContract = (session: Session, id: string) => getRecord(Contracts, session, id)
