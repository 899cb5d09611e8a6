import type { ApiClient } from '../../../shared/api/client.js'
import type { RecordView } from '../../../shared/view/record-view.js'
import { recordViews, type ViewCollection } from '../../../shared/view/registry.js'
import { recordModule, type AnyRecord, type RecordModule } from './types.js'

/**
 * What only the mini-program adds to each shared view: the folder of its pages (`pages/<key>/...`, the
 * paths DingTalk cards open: functions/domain/reminders.ts RECORD_PAGES) and its calls in the API client.
 */
const miniapp: Record<ViewCollection, [key: string, api: (client: ApiClient) => object]> = {
  leads: ['lead', (c) => c.leads],
  pool: ['pool', (c) => c.pool],
  customers: ['customer', (c) => c.customers],
  contacts: ['contact', (c) => c.contacts],
  followups: ['followup', (c) => c.followUps],
  opportunities: ['opportunity', (c) => c.opportunities],
  contracts: ['contract', (c) => c.contracts],
  'payment-plans': ['payment-plan', (c) => c.paymentPlans],
  payments: ['payment', (c) => c.payments],
  invoices: ['invoice', (c) => c.invoices],
  targets: ['target', (c) => c.targets],
  reminders: ['reminder', (c) => c.reminders],
  products: ['product', (c) => c.products],
  competitors: ['competitor', (c) => c.competitors],
}

export const recordModules = Object.fromEntries(
  Object.entries(miniapp).map(([collection, [key, api]]) => [
    collection,
    recordModule(key, recordViews[collection as ViewCollection] as unknown as RecordView<AnyRecord>, api),
  ]),
) as Record<ViewCollection, RecordModule>

/** The module of a collection (`followups`), if the app has one. */
export const moduleOf = (collection: string): RecordModule | undefined =>
  recordModules[collection as ViewCollection]
