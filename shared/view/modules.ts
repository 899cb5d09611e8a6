/**
 * The CRM's modules as both apps show them on 工作台 (home), in the order of the H3Yun manual. `path` is the
 * collection's URL name (`/api/<path>`, the app's route, the recycle bin's `collection`).
 */
export interface ModuleView {
  path: string
  label: string
  /** one or two characters for the grid icon */
  icon: string
  color: string
}

export const modules: readonly ModuleView[] = [
  { path: 'leads', label: '线索', icon: '线', color: '#3370ff' },
  { path: 'pool', label: '公海', icon: '公', color: '#14c9c9' },
  { path: 'customers', label: '客户', icon: '客', color: '#00b42a' },
  { path: 'contacts', label: '联系人', icon: '联', color: '#722ed1' },
  { path: 'followups', label: '跟进记录', icon: '跟', color: '#ff7d00' },
  { path: 'opportunities', label: '商机', icon: '商', color: '#f53f3f' },
  { path: 'contracts', label: '合同', icon: '合', color: '#3370ff' },
  { path: 'payment-plans', label: '回款计划', icon: '计', color: '#eb2f96' },
  { path: 'payments', label: '回款', icon: '回', color: '#00b42a' },
  { path: 'invoices', label: '发票', icon: '票', color: '#ff7d00' },
  { path: 'targets', label: '销售目标', icon: '标', color: '#722ed1' },
  { path: 'reminders', label: '任务提醒', icon: '醒', color: '#f53f3f' },
  { path: 'reports', label: '统计分析', icon: '报', color: '#14c9c9' },
  { path: 'products', label: '产品', icon: '产', color: '#3370ff' },
  { path: 'competitors', label: '竞争对手', icon: '竞', color: '#ff7d00' },
  { path: 'recycle-bin', label: '回收站', icon: '收', color: '#86909c' },
]

/** The noun of a collection, e.g. for the recycle bin's entries: 'products' → '产品'. */
export const collectionLabel = (path: string): string => modules.find((m) => m.path === path)?.label ?? path
