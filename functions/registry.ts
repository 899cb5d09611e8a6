/**
 * The deployed functions and the path segments after `/api` each one serves (`settings/stages` may
 * belong to another function than `settings/pool`). `s.yaml` deploys one
 * function per entry and its custom domain routes `/api/<segment>/*` the same way; the local server uses
 * this very map, so local mode has no second routing of its own.
 */
export const functions = {
  health: { segments: ['health'], load: () => import('./health/handler.js') },
  auth: { segments: ['auth', 'me'], load: () => import('./auth/handler.js') },
  directory: { segments: ['users', 'depts'], load: () => import('./directory/handler.js') },
  products: { segments: ['products'], load: () => import('./products/handler.js') },
  competitors: { segments: ['competitors'], load: () => import('./competitors/handler.js') },
  'recycle-bin': { segments: ['recycle-bin'], load: () => import('./recycle-bin/handler.js') },
  openapi: { segments: ['openapi.json'], load: () => import('./openapi/handler.js') },
  reminders: { segments: ['reminders'], load: () => import('./reminders/handler.js') },
  notifications: {
    segments: ['settings/notifications', 'admin/outbox'],
    load: () => import('./notifications/handler.js'),
  },
  customers: {
    segments: ['customers', 'pool', 'contacts', 'followups'],
    load: () => import('./customers/handler.js'),
  },
  leads: { segments: ['leads'], load: () => import('./leads/handler.js') },
  search: { segments: ['search', 'names', 'feed'], load: () => import('./search/handler.js') },
  'pool-settings': { segments: ['settings/pool'], load: () => import('./pool-settings/handler.js') },
  opportunities: {
    segments: ['opportunities', 'settings/stages', 'settings/deals'],
    load: () => import('./opportunities/handler.js'),
  },
  contracts: { segments: ['contracts'], load: () => import('./contracts/handler.js') },
  'payment-plans': { segments: ['payment-plans'], load: () => import('./payment-plans/handler.js') },
  payments: { segments: ['payments'], load: () => import('./payments/handler.js') },
  invoices: { segments: ['invoices'], load: () => import('./invoices/handler.js') },
  approvals: {
    segments: ['approvals', 'settings/approvals'],
    load: () => import('./approvals/handler.js'),
  },
  targets: { segments: ['targets'], load: () => import('./targets/handler.js') },
  reports: { segments: ['reports'], load: () => import('./reports/handler.js') },
  imports: { segments: ['imports', 'exports'], load: () => import('./imports/handler.js') },
  fields: { segments: ['settings/fields', 'attachments'], load: () => import('./fields/handler.js') },
} as const

export type FunctionName = keyof typeof functions

/** The function serving a path: the longest segment (`settings/stages` before `settings`) that prefixes it. */
export function functionForPath(pathname: string): FunctionName | undefined {
  let best: { name: FunctionName; length: number } | undefined
  for (const name of Object.keys(functions) as FunctionName[]) {
    for (const segment of functions[name].segments as readonly string[]) {
      const prefix = `/api/${segment}`
      const matches = pathname === prefix || pathname.startsWith(`${prefix}/`)
      if (matches && prefix.length > (best?.length ?? 0)) best = { name, length: prefix.length }
    }
  }
  return best?.name
}
