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

/** 通知设置: the events a department may send to its group, and where */
export const notificationEventLabels = {
  'lead.assigned': '线索分配',
  'reminder.due': '任务提醒到期',
  'customer.recycle_warning': '客户即将退回公海',
  'customer.recycled': '客户已退回公海',
  'report.briefing': '每日简报',
  'approval.result': '审批结果',
} as const
export const notificationDeliveryLabels = {
  person: '发给个人',
  group: '发到部门群',
  both: '个人和部门群',
} as const

export const genderLabels = { male: '男', female: '女', unknown: '未知' } as const

export const targetScopeLabels = { dept: '部门', user: '个人' } as const

/** 客户来源 as the H3Yun manual lists them (free text on the wire; these are the suggestions) */
export const customerSourceLabels = {
  电话营销: '电话营销',
  网络推广: '网络推广',
  展会: '展会',
  客户介绍: '客户介绍',
  广告: '广告',
  其他: '其他',
} as const

/** 查重: why a record looks like a duplicate */
export const duplicateReasonLabels = {
  same_name: '名称相同',
  name_contains: '名称相近',
  same_phone: '电话相同',
} as const

/** 提前提醒 (minutes before the due time) */
export const remindBeforeLabels = {
  '0': '准时提醒',
  '15': '提前 15 分钟',
  '30': '提前 30 分钟',
  '60': '提前 1 小时',
  '1440': '提前 1 天',
} as const

/** A reminder's (or a card's) `recordType` → the record's noun and its collection (the app's route). */
export const recordTypeLabels = {
  lead: '线索',
  customer: '客户',
  contact: '联系人',
  followup: '跟进记录',
  opportunity: '商机',
  contract: '合同',
} as const
export const recordTypeCollections = {
  lead: 'leads',
  customer: 'customers',
  contact: 'contacts',
  followup: 'followups',
  opportunity: 'opportunities',
  contract: 'contracts',
} as const

/** 动态: what happened to the record */
export const activityActionLabels = {
  created: '创建',
  updated: '修改',
  deleted: '删除',
  restored: '恢复',
  assigned: '分配',
  claimed: '领取',
  released: '退回公海',
  converted: '转化',
  followed_up: '跟进',
  commented: '评论',
  liked: '点赞',
  unliked: '取消点赞',
  category_changed: '分类调整',
  collaborators_changed: '协助人调整',
  contact_added: '新增联系人',
  contact_updated: '修改联系人',
  recycled: '自动回收',
  stage_changed: '阶段推进',
  merged: '合并',
} as const

export function labelOf(labels: Readonly<Record<string, string>>, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  return labels[String(value)] ?? String(value)
}
