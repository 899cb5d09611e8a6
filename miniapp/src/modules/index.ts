/**
 * The 工作台 grid: every module of the app, in the manual's order. A module whose API has not landed yet
 * has no page and shows 即将上线; giving it a `page` is what switches it on.
 */
export interface HomeModule {
  key: string
  title: string
  /** the glyph on the tile */
  icon: string
  color: string
  page?: string
}

export const homeModules: HomeModule[] = [
  { key: 'lead', title: '线索', icon: '线', color: '#3296fa' },
  { key: 'pool', title: '公海', icon: '公', color: '#15bc83' },
  { key: 'customer', title: '客户', icon: '客', color: '#ff9f2e' },
  { key: 'contact', title: '联系人', icon: '联', color: '#3296fa' },
  { key: 'followup', title: '跟进', icon: '跟', color: '#7b6ef6' },
  { key: 'opportunity', title: '商机', icon: '商', color: '#f25643' },
  { key: 'contract', title: '合同', icon: '合', color: '#15bc83' },
  { key: 'invoice', title: '发票', icon: '票', color: '#ff9f2e' },
  { key: 'payment', title: '回款', icon: '款', color: '#f25643' },
  { key: 'target', title: '销售目标', icon: '标', color: '#7b6ef6' },
  { key: 'reminder', title: '提醒', icon: '醒', color: '#3296fa' },
  { key: 'report', title: '统计分析', icon: '报', color: '#15bc83' },
  { key: 'product', title: '产品', icon: '产', color: '#ff9f2e', page: '/pages/product/list' },
  { key: 'competitor', title: '竞争对手', icon: '竞', color: '#f25643', page: '/pages/competitor/list' },
  { key: 'recycle-bin', title: '回收站', icon: '回', color: '#8c8c8c', page: '/pages/recycle-bin/index' },
]

/** Recycle-bin collection (its URL name) → what the user calls it. */
export const collectionTitles: Record<string, string> = {
  products: '产品',
  competitors: '竞争对手',
  leads: '线索',
  customers: '客户',
  contacts: '联系人',
  followups: '跟进',
  opportunities: '商机',
  contracts: '合同',
  invoices: '发票',
  payments: '回款',
  reminders: '提醒',
}
