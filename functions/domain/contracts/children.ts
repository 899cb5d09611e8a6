import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { $add } from 'dynamodb-toolbox/entity/actions/update/symbols'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import type { AppError } from '../../core/errors.js'
import type { Write } from '../../db/commit.js'
import { ContractEntity } from '../../db/entities/deals.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all } from '../../db/filter.js'
import { getRecord } from '../../db/records.js'
import { ownerFor } from '../deals/records.js'
import { type ContractRecord, Contracts, live } from './record.js'

/** What a contract's plans, payments and invoices share: the contract's kept amounts, its read, its tab. */

export interface ContractDelta {
  received?: number
  invoiced?: number
  planned?: number
  children: number
}

/**
 * A child's change applied to its contract: ADD the amounts, +1 version; the contract must be live,
 * and a cap (`outstandingAmount` / `uninvoicedAmount` ≥ the increase) holds when asked.
 */
export function contractWrite(
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

export const childCount = (before: { deletedAt?: string } | undefined, after: { deletedAt?: string }) =>
  (live(after) ? 1 : 0) - (live(before) ? 1 : 0)

/** The parent of a plan, payment or invoice: a live contract the caller may see. */
export const contractOf = (session: Session, contractId: string) => getRecord(Contracts, session, contractId)

/** The fields a child copies from its contract (customer, owner unless named). */
export async function childFields(session: Session, contract: ContractRecord, ownerId?: string) {
  const owner = await ownerFor(session, ownerId, { id: contract.ownerId, deptId: contract.deptId })
  return { customerId: contract.customerId, ownerId: owner.id, deptId: owner.deptId }
}

export const contractTab = (session: Session, contractId: string, prefix: string) => ({
  partition: tenantKey(session.tenantId, TAG.contract, contractId),
  prefix,
})
