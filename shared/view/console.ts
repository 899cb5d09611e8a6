import { modules, type ModuleView } from './modules.js'

/**
 * The PC console's left menu, grouped as the H3Yun manual groups its modules (业务管理, 基础设置,
 * 统计分析). `settings` shows to admins only: the settings API refuses the others anyway.
 */
export interface MenuGroup {
  label: string
  items: ModuleView[]
}

export const SETTINGS: ModuleView = { path: 'settings', label: '设置', icon: '设', color: '#86909c' }

const groups: [label: string, paths: string[]][] = [
  [
    '业务管理',
    [
      'leads',
      'pool',
      'customers',
      'contacts',
      'followups',
      'opportunities',
      'contracts',
      'payment-plans',
      'payments',
      'invoices',
      'targets',
      'reminders',
    ],
  ],
  ['基础设置', ['products', 'competitors', 'recycle-bin', 'settings']],
  ['统计分析', ['reports']],
]

export function consoleMenu(role: string | undefined): MenuGroup[] {
  const all = [...modules, SETTINGS]
  return groups.map(([label, paths]) => ({
    label,
    items: paths
      .filter((path) => path !== 'settings' || role === 'admin')
      .map((path) => all.find((m) => m.path === path)!),
  }))
}

/** The module a location belongs to: `/customers/123/edit` → `customers`. */
export const moduleOfPath = (pathname: string): string => pathname.split('/')[1] ?? ''
