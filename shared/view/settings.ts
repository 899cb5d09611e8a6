import { nounLabel } from '../nouns.js'
import type { FieldDefinition, FieldType } from '../schemas/fields.js'
import type { ApprovalSettings, DealSettingsRecord, PoolSettings, Stage, User } from '../schemas/index.js'
import { approverLabel, MODE_LABEL, type Namer } from './approvals.js'
import { customerCategoryLabels, roleLabels, stageKindLabels } from './labels.js'

/**
 * 设置 as both apps list it (admins change it on the PC console; the phone shows it read-only): the
 * groups, and each group's values in words.
 */

export const settingsGroups = [
  { key: 'pool', title: '公海规则', brief: '每日领取上限、持有上限、冷却期、自动回收与提醒' },
  { key: 'stages', title: '销售阶段', brief: '阶段名称、赢率、顺序与类型' },
  { key: 'deals', title: '回款规则', brief: '是否允许超出合同金额回款' },
  { key: 'approvals', title: '审批流程', brief: '合同、回款、发票、商机、客户的审批人与条件' },
  { key: 'notifications', title: '通知设置', brief: '各部门的钉钉群机器人' },
  { key: 'roles', title: '用户角色', brief: '管理员、经理、成员' },
  { key: 'fields', title: '字段管理', brief: '自定义字段、系统字段名称与选项（客户来源、行业等）' },
] as const
export type SettingsGroup = (typeof settingsGroups)[number]['key']

/** What an admin calls each field type. */
export const fieldTypeLabels: Record<FieldType, string> = {
  text: '单行文本',
  textarea: '多行文本',
  number: '数字',
  money: '金额',
  date: '日期',
  datetime: '日期时间',
  select: '单选',
  multiselect: '多选',
  boolean: '是/否',
  user: '人员',
  dept: '部门',
  phone: '电话',
  email: '邮箱',
  url: '网址',
  attachments: '附件',
}

export interface SettingsSection {
  title: string
  rows: { label: string; value: string }[]
}

const yesNo = (value: boolean) => (value ? '是' : '否')
const orNone = (value: number | null, unit: string, none = '不限') =>
  value === null ? none : `${value} ${unit}`

export function poolSections(s: PoolSettings): SettingsSection[] {
  const recycle = (['A', 'B', 'C', 'D', 'none'] as const).map((category) => {
    const rule = s.recycle[category]
    const parts = [
      rule?.noFollowUpDays ? `${rule.noFollowUpDays} 天未跟进` : '',
      rule?.noWonDays ? `${rule.noWonDays} 天未成交` : '',
    ].filter(Boolean)
    return {
      label: category === 'none' ? '未分类客户' : customerCategoryLabels[category],
      value: parts.length ? `${parts.join('或')}退回公海` : '不自动回收',
    }
  })
  return [
    {
      title: '领取与持有',
      rows: [
        { label: '每人每日领取上限', value: orNone(s.dailyClaimLimit, '个') },
        { label: '每人持有客户上限', value: orNone(s.holdingCap, '个') },
        { label: '已成交客户不计入持有上限', value: yesNo(s.holdingCapExcludesWon) },
        { label: '原负责人再次领取冷却期', value: s.cooldownDays ? `${s.cooldownDays} 天` : '无' },
        { label: '客户名称不可重复', value: yesNo(s.uniqueCustomerNames) },
        { label: '公海客户电话对成员隐藏', value: yesNo(s.maskPoolPhones) },
      ],
    },
    {
      title: '自动回收',
      rows: [
        ...recycle,
        { label: '有进行中商机的客户不回收', value: yesNo(s.exemptOpenOpportunity) },
        { label: '回收前提醒', value: s.warnDays ? `提前 ${s.warnDays} 天` : '不提醒' },
      ],
    },
  ]
}

export const stageSections = (stages: readonly Stage[]): SettingsSection[] => [
  {
    title: '销售阶段',
    rows: [...stages]
      .sort((a, b) => a.order - b.order)
      .map((s) => ({ label: s.name, value: `赢率 ${s.probability}% · ${stageKindLabels[s.kind]}` })),
  },
]

export const dealSections = (s: DealSettingsRecord): SettingsSection[] => [
  { title: '回款规则', rows: [{ label: '允许回款超出合同金额', value: yesNo(s.allowOverpayment) }] },
]

const OPS = { gte: '≥', lte: '≤', eq: '等于', in: '属于' } as const

export const approvalSections = (s: ApprovalSettings, names: Namer): SettingsSection[] =>
  s.flows.length
    ? s.flows.map((flow) => {
        const condition = flow.condition
          ? `${flow.condition.field} ${OPS[flow.condition.op]} ${
              Array.isArray(flow.condition.value) ? flow.condition.value.join('、') : flow.condition.value
            }`
          : '全部'
        return {
          title: `${flow.name}${flow.enabled ? '' : '（已停用）'}`,
          rows: [
            {
              label: '适用',
              value: `${flow.on === 'create' ? '新建' : '修改'}${nounLabel(flow.collection)} · 条件：${condition}`,
            },
            ...flow.steps.map((step, i) => ({
              label: `第 ${i + 1} 步`,
              value: `${approverLabel(step.approver, names)} · ${MODE_LABEL[step.mode]}`,
            })),
          ],
        }
      })
    : [{ title: '审批流程', rows: [{ label: '还没有审批流程', value: '' }] }]

/** 字段管理 as `GET /api/settings/fields` answers it: each collection's fields. */
export const fieldSections = (all: {
  collections: Partial<Record<string, readonly FieldDefinition[]>>
}): SettingsSection[] =>
  Object.entries(all.collections).map(([collection, fields = []]) => ({
    title: nounLabel(collection as never),
    rows: fields
      .filter((f) => !f.removed)
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((f) => ({
        label: f.label,
        value: [
          fieldTypeLabels[f.type],
          f.builtIn ? '系统字段' : '自定义',
          f.required ? '必填' : '',
          f.options?.length ? `${f.options.length} 个选项` : '',
        ]
          .filter(Boolean)
          .join(' · '),
      })),
  }))

export const roleSections = (users: readonly User[]): SettingsSection[] => [
  {
    title: '用户角色',
    rows: users.filter((u) => u.active).map((u) => ({ label: u.name, value: roleLabels[u.role] })),
  },
]
