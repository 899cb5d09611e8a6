import type { ApiClient } from '../api/client.js'
import { contract, type Route } from '../contract/index.js'
import type { Page, Role } from '../schemas/index.js'
import type { ViewCollection } from './registry.js'

/** A record as the generic screens hold it: whatever its collection's schema decoded. */
export interface AnyRecord {
  id: string
  version: number
  [field: string]: unknown
}

export type ListFilter = Record<string, string | number | boolean | undefined>

/** The calls of one collection that the generic list, detail and form screens make. */
export interface RecordClient {
  list(filter: ListFilter): Promise<Page<AnyRecord> & { total?: number | null }>
  get(id: string): Promise<AnyRecord>
  create(value: Record<string, unknown>, options?: { idempotencyKey?: string }): Promise<AnyRecord>
  update(id: string, changes: Record<string, unknown> & { version: number }): Promise<AnyRecord>
  remove(id: string): Promise<unknown>
}

/**
 * Which declared routes (and so which API client calls) serve each collection: the one table to adapt
 * when the contract changes. 公海 lists and creates through `/api/pool` but reads, edits and deletes its
 * records as customers.
 */
const groups = {
  leads: 'leads',
  pool: 'pool',
  customers: 'customers',
  contacts: 'contacts',
  followups: 'followUps',
  opportunities: 'opportunities',
  contracts: 'contracts',
  'payment-plans': 'paymentPlans',
  payments: 'payments',
  invoices: 'invoices',
  targets: 'targets',
  reminders: 'reminders',
  products: 'products',
  competitors: 'competitors',
} as const satisfies Record<ViewCollection, keyof typeof contract>

// The client types each collection's records through its schema; the generic screens treat them alike.
export const recordClient = (api: ApiClient, collection: ViewCollection): RecordClient =>
  (collection === 'pool'
    ? { ...api.customers, list: api.pool.list, create: api.pool.create }
    : api[groups[collection]]) as unknown as RecordClient

/** May someone of this role create one (新建)? The create route's roles say; no roles: everyone. */
export function mayCreate(collection: ViewCollection, role: Role | undefined): boolean {
  const roles = (contract[groups[collection]] as { create?: Route }).create?.roles
  return !roles || (!!role && roles.includes(role))
}
