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
/** 商机看板: the opportunities as columns per stage (a PC screen of its own, not a record list) */
export const BOARD: ModuleView = {
  path: 'opportunities/board',
  label: '商机看板',
  icon: '板',
  color: '#f77234',
}

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
      'opportunities/board',
      'contracts',
      'payment-plans',
      'payments',
      'invoices',
      'targets',
      'reminders',
      'approvals',
    ],
  ],
  ['基础设置', ['products', 'competitors', 'recycle-bin', 'settings']],
  ['统计分析', ['reports']],
]

export function consoleMenu(role: string | undefined): MenuGroup[] {
  const all = [...modules, SETTINGS, BOARD]
  return groups.map(([label, paths]) => ({
    label,
    items: paths
      .filter((path) => path !== 'settings' || role === 'admin')
      .map((path) => all.find((m) => m.path === path)!),
  }))
}

/** The module a location belongs to: `/customers/123/edit` → `customers`. */
export const moduleOfPath = (pathname: string): string => pathname.split('/')[1] ?? ''

/** The menu item a location belongs to: the longest menu path it is in (`/opportunities/board` → the board). */
export function activeMenuPath(pathname: string, paths: readonly string[]): string | undefined {
  return paths
    .filter((path) => pathname === `/${path}` || pathname.startsWith(`/${path}/`))
    .sort((a, b) => b.length - a.length)[0]
}
