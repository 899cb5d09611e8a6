/**
 * Chinese labels of the API's enum values (API.md), one copy for both UIs. Keys are the wire values;
 * `labelOf` falls back to the raw value, so a value added later still shows.
 */

export const roleLabels = { admin: '管理员', manager: '经理', member: '成员' } as const

export const leadStatusLabels = {
  new: '新线索',
  following: '跟进中',
  converted: '已转化',
  invalid: '无效',
} as const

export const customerCategoryLabels = { A: 'A 类客户', B: 'B 类客户', C: 'C 类客户', D: 'D 类客户' } as const

export const followUpMethodLabels = {
  phone: '电话',
  visit: '拜访',
  dingtalk: '钉钉',
  wechat: '微信',
  email: '邮件',
  other: '其他',
} as const

export const importanceLabels = { high: '高', medium: '中', low: '低' } as const

export const stageKindLabels = { open: '进行中', won: '赢单', lost: '输单' } as const

export const contractTypeLabels = { product: '产品合同', service: '服务合同' } as const

export const paymentMethodLabels = {
  cash: '现金',
  check: '支票',
  transfer: '银行转账',
  other: '其他',
} as const

export const invoiceTypeLabels = { vat_special: '增值税专用发票', vat_normal: '增值税普通发票' } as const

export const reminderRepeatLabels = {
  none: '不重复',
  daily: '每天',
  weekly: '每周',
  monthly: '每月',
} as const

export const reminderStatusLabels = {
  pending: '待提醒',
  sent: '已提醒',
  done: '已完成',
  cancelled: '已取消',
} as const

export const targetMetricLabels = { contractAmount: '合同金额', paymentAmount: '回款金额' } as const

export const enabledLabels = { true: '启用', false: '停用' } as const

/** 钉钉模拟器里的消息类型 */
export const messageKindLabels = {
  work_notification: '工作通知',
  group: '群消息',
  robot_o2o: '机器人单聊',
} as const

export function labelOf(labels: Readonly<Record<string, string>>, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  return labels[String(value)] ?? String(value)
}
