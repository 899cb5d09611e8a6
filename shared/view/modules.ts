import { isCollection, miniPage, nounLabel, nouns } from '../nouns.js'

/**
 * The CRM's modules as both apps show them on 工作台 (home), in the order of the H3Yun manual. `path` is the
 * collection's URL name (`/api/<path>`, the app's route, the recycle bin's `collection`); a record type's
 * label is its noun's (shared/nouns.ts), the other modules name themselves.
 */
export interface ModuleView {
  path: string
  label: string
  /** one or two characters for the grid icon */
  icon: string
  color: string
}

/** The screens that are not a record type: their label and their mini-program page. */
const screens: Record<string, { label: string; miniPage: string }> = {
  pool: { label: '公海', miniPage: 'pages/pool/index' },
  reports: { label: '统计分析', miniPage: 'pages/report/index' },
  'recycle-bin': { label: '回收站', miniPage: 'pages/recycle-bin/index' },
  approvals: { label: '审批', miniPage: 'pages/approval/list' },
}

const module = (
  path: keyof typeof nouns | keyof typeof screens,
  icon: string,
  color: string,
): ModuleView => ({
  path,
  label: isCollection(path) ? nouns[path].label : screens[path].label,
  icon,
  color,
})

export const modules: readonly ModuleView[] = [
  module('leads', '线', '#3370ff'),
  module('pool', '公', '#14c9c9'),
  module('customers', '客', '#00b42a'),
  module('contacts', '联', '#722ed1'),
  module('followups', '跟', '#ff7d00'),
  module('opportunities', '商', '#f53f3f'),
  module('contracts', '合', '#3370ff'),
  module('payment-plans', '计', '#eb2f96'),
  module('payments', '回', '#00b42a'),
  module('invoices', '票', '#ff7d00'),
  module('targets', '标', '#722ed1'),
  module('reminders', '醒', '#f53f3f'),
  module('approvals', '审', '#3370ff'),
  module('reports', '报', '#14c9c9'),
  module('products', '产', '#3370ff'),
  module('competitors', '竞', '#ff7d00'),
  module('recycle-bin', '收', '#86909c'),
]

/** The mini-program page a module opens (`/pages/customer/list`), if it has one. */
export const moduleMiniPage = (path: string): string | undefined =>
  isCollection(path) ? `/${miniPage(path, 'list')}` : screens[path] && `/${screens[path].miniPage}`

/** The noun of a collection, e.g. for the recycle bin's entries: 'products' → '产品'. */
export const collectionLabel = nounLabel
