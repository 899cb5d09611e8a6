import type { NamedCollection, RecordRef } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import type { Collection, StoredRecord } from '../../db/collection.js'
import { getRecords } from '../../db/records.js'
import { Contacts } from '../contacts/record.js'
import { Contracts } from '../contracts/record.js'
import { Customers } from '../customers/record.js'
import { Opportunities } from '../opportunities/record.js'
import { canSee, type Scoped } from '../scope/scope.js'

type Named = StoredRecord & Scoped & { name: string; customerId?: string }

const named: Record<NamedCollection, Collection> = {
  customers: Customers,
  contacts: Contacts,
  opportunities: Opportunities,
  contracts: Contracts,
} as unknown as Record<NamedCollection, Collection>

/**
 * Seen on its own: a customer in the caller's scope, a deal they own or manage, a contact they created.
 * Anything else is seen through its customer (API.md "Roles and data scope").
 */
const seenDirectly = (session: Session, collection: NamedCollection, record: Named): boolean =>
  collection === 'contacts' ? record.createdBy === session.userId : canSee(session, record)

/**
 * The names of the records a list page links to (its rows' 客户, 合同...): one BatchGetItem per
 * collection, then one for the customers that decide the rest. Records the caller may not see are left
 * out, as if they did not exist.
 */
export async function recordNames(session: Session, refs: RecordRef[]) {
  const idsOf = new Map<NamedCollection, string[]>()
  for (const { collection, id } of refs) idsOf.set(collection, [...(idsOf.get(collection) ?? []), id])
  const found = await Promise.all(
    [...idsOf].map(async ([collection, ids]) => {
      const records = await getRecords(named[collection], session.tenantId, ids)
      return [...records.values()].map((record) => ({ collection, record: record as Named }))
    }),
  )
  const loaded = found.flat()
  const customers = new Map(
    loaded.filter((r) => r.collection === 'customers').map(({ record }) => [record.id, record]),
  )
  const undecided = loaded.filter(
    ({ collection, record }) =>
      collection !== 'customers' &&
      !seenDirectly(session, collection, record) &&
      record.customerId &&
      !customers.has(record.customerId),
  )
  const more = await getRecords(
    Customers,
    session.tenantId,
    undecided.map(({ record }) => record.customerId!),
  )
  for (const [id, customer] of more) customers.set(id, customer as Named)
  const visible = ({ collection, record }: (typeof loaded)[number]) => {
    if (seenDirectly(session, collection, record)) return true
    const customer = record.customerId ? customers.get(record.customerId) : undefined
    return collection !== 'customers' && !!customer && canSee(session, customer)
  }
  return {
    items: loaded
      .filter(visible)
      .map(({ collection, record }) => ({ collection, id: record.id, name: record.name })),
  }
}
