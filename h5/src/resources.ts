import type { Page as ListPage } from '../../shared/schemas/index.js'
import {
  recordViews,
  type RecordView,
  type RefCollection,
  type ViewCollection,
} from '../../shared/view/index.js'
import { api } from './api.js'
import { registerTitles } from './names.js'

/**
 * The collections the app has screens for: a shared view (fields, columns, filters, schema) plus the API
 * client's calls. A new collection is one entry here; the generic list, detail and form pages and the
 * routes follow from it (detail actions live in records/actions.tsx).
 */
export interface AnyRecord {
  id: string
  version: number
  [field: string]: unknown
}

export type ListFilter = Record<string, string | number | undefined>

export interface ResourceClient {
  list(filter: ListFilter): Promise<ListPage<AnyRecord> & { total?: number }>
  get(id: string): Promise<AnyRecord>
  create(value: Record<string, unknown>): Promise<AnyRecord>
  update(id: string, changes: Record<string, unknown> & { version: number }): Promise<AnyRecord>
  remove(id: string): Promise<unknown>
}

export interface Resource {
  view: RecordView<AnyRecord>
  client: ResourceClient
}

interface LooseClient {
  list(filter: never): Promise<{ items: unknown[]; nextCursor: string | null; total?: number | null }>
  get(id: string): Promise<unknown>
  create(value: never): Promise<unknown>
  update(id: string, changes: never): Promise<unknown>
  remove(id: string): Promise<unknown>
}

// The client types each collection's records apart; the screens treat them uniformly.
const resource = (view: RecordView<never>, client: LooseClient): Resource => {
  const typed = client as unknown as ResourceClient
  return {
    view: view as unknown as RecordView<AnyRecord>,
    client: {
      ...typed,
      // a filtered customer list has no kept count (`total: null`): then no "共有 N 条记录"
      list: async (filter) => {
        const page = await client.list(filter as never)
        return { ...(page as ListPage<AnyRecord>), total: page.total ?? undefined }
      },
    },
  }
}

/** 公海 lists `/api/pool` but reads, edits and deletes its records as customers. */
const poolClient: LooseClient = { ...api.customers, list: api.pool.list, create: api.pool.create }
const remindersClient: LooseClient = api.reminders

const clients: Record<ViewCollection, LooseClient> = {
  leads: api.leads,
  pool: poolClient,
  customers: api.customers,
  contacts: api.contacts,
  followups: api.followUps,
  opportunities: api.opportunities,
  contracts: api.contracts,
  'payment-plans': api.paymentPlans,
  payments: api.payments,
  invoices: api.invoices,
  targets: api.targets,
  reminders: remindersClient,
  products: api.products,
  competitors: api.competitors,
}

export const resources: Record<string, Resource> = Object.fromEntries(
  (Object.keys(recordViews) as ViewCollection[]).map((name) => [
    name,
    resource(recordViews[name] as RecordView<never>, clients[name]),
  ]),
)

// names of linked records (a follow-up's customer, a payment's contract...) come from their own views
for (const ref of [
  'customers',
  'contacts',
  'opportunities',
  'contracts',
  'payment-plans',
  'leads',
] as const) {
  const { view, client } = resources[ref]
  registerTitles(ref satisfies RefCollection, async (id) => view.title(await client.get(id)))
}
