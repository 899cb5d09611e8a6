import { approvals, approvalSettings, submissions } from './approvals.js'
import { auth } from './auth.js'
import { competitors } from './competitors.js'
import { contacts, followUps } from './children.js'
import { contracts } from './contracts.js'
import { customers, pool } from './customers.js'
import { dealSettings, stages } from './deal-settings.js'
import { depts, users } from './directory.js'
import { attachments, fieldSettings } from './fields.js'
import { health } from './health.js'
import { exportRoutes, imports } from './imports.js'
import { invoices } from './invoices.js'
import { leads } from './leads.js'
import { notificationSettings, outbox } from './notifications.js'
import { openapi } from './openapi.js'
import { opportunities } from './opportunities.js'
import { paymentPlans } from './payment-plans.js'
import { payments } from './payments.js'
import { poolSettings } from './pool-settings.js'
import { products } from './products.js'
import { recycleBin } from './recycle-bin.js'
import { reminders } from './reminders.js'
import { reports } from './reports.js'
import { names, search } from './search.js'
import { feed, social } from './social.js'
import { targets } from './targets.js'

/**
 * Every route of the API, one declaration each, by noun. A function imports only its own nouns' files
 * (its bundle carries no other route); the API client and the OpenAPI document take them all.
 */
export const contract = {
  health,
  openapi,
  auth,
  users,
  depts,
  products,
  competitors,
  recycleBin,
  reminders,
  notificationSettings,
  outbox,
  customers,
  pool,
  contacts,
  followUps,
  social,
  feed,
  leads,
  search,
  names,
  poolSettings,
  opportunities,
  stages,
  dealSettings,
  contracts,
  paymentPlans,
  payments,
  invoices,
  targets,
  approvalSettings,
  approvals,
  submissions,
  reports,
  imports,
  exports: exportRoutes,
  fieldSettings,
  attachments,
}
export type Contract = typeof contract

export { routesOf, type Route } from './route.js'
export type { SocialCollection } from './social.js'
