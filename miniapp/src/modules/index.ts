import { modules, type ModuleView } from '../../../shared/view/modules.js'

/**
 * The 工作台 grid: the shared list of modules (labels, icons, colours: one declaration for both apps)
 * with the page each opens here. A module without a page shows 即将上线.
 */
const pages: Record<string, string> = {
  leads: '/pages/lead/list',
  pool: '/pages/pool/index',
  customers: '/pages/customer/list',
  contacts: '/pages/contact/list',
  followups: '/pages/followup/list',
  opportunities: '/pages/opportunity/list',
  contracts: '/pages/contract/list',
  'payment-plans': '/pages/payment-plan/list',
  payments: '/pages/payment/list',
  invoices: '/pages/invoice/list',
  targets: '/pages/target/list',
  reminders: '/pages/reminder/list',
  reports: '/pages/report/index',
  products: '/pages/product/list',
  competitors: '/pages/competitor/list',
  'recycle-bin': '/pages/recycle-bin/index',
}

export interface HomeModule extends ModuleView {
  page?: string
}

export const homeModules: HomeModule[] = modules.map((m) => ({ ...m, page: pages[m.path] }))
