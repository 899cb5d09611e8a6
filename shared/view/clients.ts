import type { ApiClient } from '../api/client.js'
import type { Page } from '../schemas/index.js'
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
 * Which API client calls serve each collection: the one table to adapt when the client changes. 公海
 * lists and creates through `/api/pool` but reads, edits and deletes its records as customers.
 */
const clients: Record<ViewCollection, (api: ApiClient) => object> = {
  leads: (api) => api.leads,
  pool: (api) => ({ ...api.customers, list: api.pool.list, create: api.pool.create }),
  customers: (api) => api.customers,
  contacts: (api) => api.contacts,
  followups: (api) => api.followUps,
  opportunities: (api) => api.opportunities,
  contracts: (api) => api.contracts,
  'payment-plans': (api) => api.paymentPlans,
  payments: (api) => api.payments,
  invoices: (api) => api.invoices,
  targets: (api) => api.targets,
  reminders: (api) => api.reminders,
  products: (api) => api.products,
  competitors: (api) => api.competitors,
}

// The client types each collection's records through its schema; the generic screens treat them alike.
export const recordClient = (api: ApiClient, collection: ViewCollection): RecordClient =>
  clients[collection](api) as RecordClient
