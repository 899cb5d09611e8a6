import * as z from 'zod'
import { Id, Timestamp } from './common.js'
import {
  contractTypeLabels,
  followUpMethodLabels,
  importanceLabels,
  invoiceTypeLabels,
  paymentMethodLabels,
  targetMetricLabels,
  targetScopeLabels,
} from '../view/labels.js'
import { ContactFilter, CustomerFilter, FollowUpFilter, LeadFilter } from './lifecycle.js'
import { ProductFilter } from './catalog.js'
import { customFieldsInUse, type SavedField } from './fields.js'
import {
  ContractFilter,
  InvoiceFilter,
  OpportunityFilter,
  PaymentFilter,
  PaymentPlanFilter,
  TargetFilter,
} from './deals.js'

/**
 * 导入 / 导出 (API.md "Reminders, search, import/export"). A file's columns map to a collection's input
 * fields through the column table of that collection below (Chinese headers, with the aliases people
 * write); the apps show the same tables as the template of each import.
 */

export const ImportCollection = z.enum([
  'customers',
  'leads',
  'contacts',
  'products',
  'opportunities',
  'contracts',
  'followups',
  'payment-plans',
  'payments',
  'invoices',
  'targets',
])
export type ImportCollection = z.infer<typeof ImportCollection>
/** what an imported row that matches an existing record (查重 rules) does */
export const ImportPolicy = z.enum(['skip', 'update', 'create'])
export type ImportPolicy = z.infer<typeof ImportPolicy>
/** customers only: 我的客户 or 公海 */
export const ImportTarget = z.enum(['mine', 'pool'])
export type ImportTarget = z.infer<typeof ImportTarget>

/** Form fields of `POST /api/imports/{collection}` besides `file`. */
export const ImportForm = z.strictObject({
  policy: ImportPolicy.default('skip'),
  target: ImportTarget.default('mine'),
  /** column header → field, overriding the automatic mapping */
  mapping: z
    .string()
    .max(10_000)
    .optional()
    .transform((text, ctx) => {
      if (!text) return undefined
      const parsed = z.record(z.string().max(100), z.string().max(50)).safeParse(safeJson(text))
      if (parsed.success) return parsed.data
      ctx.addIssue({ code: 'custom', message: 'mapping 须为 JSON 对象：{"列名": "字段"}' })
      return z.NEVER
    }),
})

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

export const ImportStatus = z.enum(['running', 'done', 'failed'])
export const ImportRowError = z.object({
  /** the row number as the spreadsheet shows it (the header is row 1) */
  row: z.int(),
  message: z.string(),
})
export type ImportRowError = z.infer<typeof ImportRowError>

/** An import job; `errors` lists the first 100 failed rows, the error report all of them. */
export const ImportJob = z.object({
  id: Id,
  collection: ImportCollection,
  status: ImportStatus,
  policy: ImportPolicy,
  target: ImportTarget.nullable(),
  fileName: z.string(),
  total: z.int(),
  processed: z.int(),
  created: z.int(),
  updated: z.int(),
  skipped: z.int(),
  failed: z.int(),
  errors: z.array(ImportRowError),
  /** the XLSX of the failed rows (original columns + 错误原因), null while none failed */
  errorReportUrl: z.string().nullable(),
  /** why the whole job failed (unreadable file...) */
  message: z.string().nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type ImportJob = z.infer<typeof ImportJob>

export const ExportFormat = z.enum(['xlsx', 'csv'])
/** `GET /api/exports/{collection}`: the list's own filters plus the format. */
export const ExportQueries = {
  customers: CustomerFilter,
  pool: CustomerFilter,
  leads: LeadFilter,
  contacts: ContactFilter,
  products: ProductFilter,
  opportunities: OpportunityFilter,
  contracts: ContractFilter,
  followups: FollowUpFilter,
  'payment-plans': PaymentPlanFilter,
  payments: PaymentFilter,
  invoices: InvoiceFilter,
  targets: TargetFilter,
} as const
export type ExportCollection = keyof typeof ExportQueries

// ------------------------------------------------------------------------------ column tables

/**
 * One column of a collection's file: the field it fills, its header (the first is what exports write),
 * other headers people use for it, and how a cell becomes the input value (labels → codes) and back.
 */
export interface Column {
  field: string
  headers: readonly string[]
  /** cell text → input value (before the collection's zod input schema checks it) */
  parse?: (text: string) => unknown
  /** stored value → cell text */
  format?: (value: unknown) => string
  /** written by exports only (owner, creation time...), never read back */
  exportOnly?: boolean
}

const fromLabels =
  (labels: Record<string, readonly string[]>) =>
  (text: string): unknown => {
    const t = text.trim()
    for (const [code, names] of Object.entries(labels)) {
      if (t === code || t.toUpperCase() === code.toUpperCase() || names.includes(t)) return code
    }
    return t
  }
const toLabel = (labels: Record<string, readonly string[]>) => (value: unknown) =>
  value === undefined || value === null ? '' : (labels[String(value)]?.[0] ?? String(value))

const CATEGORY = {
  A: ['A 类客户', 'A类', 'A类客户'],
  B: ['B 类客户', 'B类', 'B类客户'],
  C: ['C 类客户', 'C类', 'C类客户'],
  D: ['D 类客户', 'D类', 'D类客户'],
}
const GENDER = { male: ['男'], female: ['女'], unknown: ['未知', ''] }
const LEAD_STATUS = {
  new: ['新线索', '新建'],
  following: ['跟进中'],
  converted: ['已转化'],
  invalid: ['无效'],
}
const YES_NO = { true: ['是', '启用', 'Y', 'y', '1'], false: ['否', '停用', 'N', 'n', '0'] }

const number = (text: string): unknown => {
  const cleaned = text.replace(/[,，¥￥\s元]/g, '')
  return cleaned === '' ? undefined : Number.isFinite(Number(cleaned)) ? Number(cleaned) : text
}
const boolean = (text: string): unknown => {
  const code = fromLabels(YES_NO)(text)
  return code === 'true' ? true : code === 'false' ? false : text
}
const yuan = (fen: unknown) => (typeof fen === 'number' ? String(fen / 100) : '')

export const customerColumns: readonly Column[] = [
  { field: 'name', headers: ['客户名称', '客户', '名称', '公司名称', '企业名称'] },
  {
    field: 'category',
    headers: ['客户分类', '分类', '客户类别', '客户等级'],
    parse: fromLabels(CATEGORY),
    format: toLabel(CATEGORY),
  },
  { field: 'source', headers: ['客户来源', '来源'] },
  { field: 'phone', headers: ['电话', '手机', '手机号', '联系电话', '客户电话'] },
  { field: 'address', headers: ['地址', '客户地址', '详细地址'] },
  { field: 'industry', headers: ['行业', '所属行业'] },
  { field: 'remark', headers: ['备注', '说明'] },
  { field: 'ownerId', headers: ['负责人'], exportOnly: true },
  { field: 'createdAt', headers: ['创建时间'], exportOnly: true },
]

export const leadColumns: readonly Column[] = [
  { field: 'title', headers: ['线索名称', '线索', '名称', '标题'] },
  { field: 'contactName', headers: ['联系人', '联系人姓名', '姓名'] },
  { field: 'contactInfo', headers: ['联系方式', '手机', '电话', '手机号', '联系电话'] },
  { field: 'companyName', headers: ['公司名称', '公司', '企业名称', '客户名称'] },
  { field: 'source', headers: ['线索来源', '来源'] },
  { field: 'description', headers: ['描述', '备注', '说明'] },
  {
    field: 'status',
    headers: ['状态', '线索状态'],
    parse: fromLabels(LEAD_STATUS),
    format: toLabel(LEAD_STATUS),
  },
  { field: 'assigneeId', headers: ['负责人'], exportOnly: true },
  { field: 'createdAt', headers: ['创建时间'], exportOnly: true },
]

export const contactColumns: readonly Column[] = [
  /** matched to a customer the importer may work on, by 查重's same-name rule */
  { field: 'customerName', headers: ['客户名称', '客户', '所属客户', '公司名称'] },
  { field: 'name', headers: ['联系人', '联系人姓名', '姓名'] },
  { field: 'gender', headers: ['性别'], parse: fromLabels(GENDER), format: toLabel(GENDER) },
  { field: 'title', headers: ['职务', '职位', '头衔'] },
  { field: 'mobile', headers: ['手机', '手机号', '移动电话'] },
  { field: 'officePhone', headers: ['办公电话', '座机', '电话'] },
  { field: 'email', headers: ['邮箱', '电子邮箱', 'Email', 'E-mail'] },
  { field: 'createdAt', headers: ['创建时间'], exportOnly: true },
]

export const productColumns: readonly Column[] = [
  { field: 'name', headers: ['产品名称', '产品', '名称'] },
  { field: 'code', headers: ['产品编码', '编码', '产品编号', '编号'] },
  { field: 'unit', headers: ['单位', '计量单位'] },
  {
    field: 'price',
    headers: ['单价', '价格', '售价', '单价(元)', '单价（元）'],
    parse: number,
    format: yuan,
  },
  {
    field: 'enabled',
    headers: ['状态', '是否启用', '启用'],
    parse: boolean,
    format: (v) => (v === false ? '停用' : '启用'),
  },
  { field: 'description', headers: ['描述', '产品描述', '说明', '备注'] },
]

// ---------------------------------------------------------------- the deal side and follow-ups
// Records point at others by name, as people write them: `customerName`, `ownerName`, `contractNumber`,
// `stageName`, `subjectName` are filled by exports from the ids and resolved back by imports (a name that
// is unknown or names several records fails its row, saying so).

/** a label map of the views (`{code: label}`) as the import reads labels back */
const labelled = (labels: Record<string, string>) =>
  Object.fromEntries(Object.entries(labels).map(([code, label]) => [code, [label]]))
const choice = (labels: Record<string, string>) => ({
  parse: fromLabels(labelled(labels)),
  format: toLabel(labelled(labels)),
})
const money = { parse: number, format: yuan }
/** '2026-11-10 10:00' (China time) or ISO → ISO; ISO → '2026-11-10 10:00' */
const dateTime = {
  parse: (text: string): unknown => {
    const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/.exec(text.trim())
    return match ? `${match[1]}T${match[2]}${match[3] ?? ':00'}+08:00` : text.trim()
  },
  format: (value: unknown) =>
    typeof value === 'string' && value
      ? new Date(Date.parse(value) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ')
      : '',
}
const owner: Column = { field: 'ownerName', headers: ['负责人', '负责人姓名', '销售'] }
const customerName: Column = { field: 'customerName', headers: ['客户名称', '客户', '所属客户', '公司名称'] }
const contractNumber: Column = { field: 'contractNumber', headers: ['合同编号', '合同号', '合同'] }
const remark: Column = { field: 'remark', headers: ['备注', '说明'] }
const createdAt: Column = { field: 'createdAt', headers: ['创建时间'], exportOnly: true, ...dateTime }

export const opportunityColumns: readonly Column[] = [
  { field: 'name', headers: ['商机名称', '商机', '名称'] },
  customerName,
  { field: 'stageName', headers: ['销售阶段', '阶段'] },
  { field: 'amount', headers: ['商机金额', '金额', '预计金额'], ...money },
  { field: 'expectedCloseDate', headers: ['预计成交日期', '预计成交时间'] },
  { field: 'importance', headers: ['重要程度'], ...choice(importanceLabels) },
  owner,
  remark,
  createdAt,
]

export const contractColumns: readonly Column[] = [
  { field: 'number', headers: ['合同编号', '合同号', '编号'] },
  { field: 'name', headers: ['合同名称', '合同', '名称'] },
  customerName,
  { field: 'type', headers: ['合同类型', '类型'], ...choice(contractTypeLabels) },
  { field: 'amount', headers: ['合同金额', '金额'], ...money },
  { field: 'signedAt', headers: ['签约日期', '签订日期', '签约时间'] },
  { field: 'startDate', headers: ['开始日期'] },
  { field: 'endDate', headers: ['结束日期'] },
  owner,
  remark,
  { field: 'receivedAmount', headers: ['已回款'], exportOnly: true, ...money },
  { field: 'invoicedAmount', headers: ['已开票'], exportOnly: true, ...money },
  { field: 'outstandingAmount', headers: ['未回款'], exportOnly: true, ...money },
]

export const followUpColumns: readonly Column[] = [
  customerName,
  { field: 'method', headers: ['跟进方式', '方式'], ...choice(followUpMethodLabels) },
  { field: 'content', headers: ['跟进内容', '内容', '跟进记录'] },
  { field: 'followedAt', headers: ['跟进时间', '时间'], ...dateTime },
  { field: 'nextFollowUpAt', headers: ['下次跟进时间'], ...dateTime },
  { field: 'authorName', headers: ['跟进人'], exportOnly: true },
]

export const paymentPlanColumns: readonly Column[] = [
  contractNumber,
  { field: 'dueDate', headers: ['计划回款日期', '回款日期', '计划日期'] },
  { field: 'amount', headers: ['计划回款金额', '计划金额', '金额'], ...money },
  remark,
  { field: 'receivedAmount', headers: ['已回款'], exportOnly: true, ...money },
]

export const paymentColumns: readonly Column[] = [
  contractNumber,
  { field: 'receivedAt', headers: ['回款日期', '到账日期'] },
  { field: 'method', headers: ['回款方式', '付款方式'], ...choice(paymentMethodLabels) },
  { field: 'amount', headers: ['回款金额', '金额'], ...money },
  owner,
  remark,
]

export const invoiceColumns: readonly Column[] = [
  contractNumber,
  { field: 'title', headers: ['发票抬头', '抬头'] },
  { field: 'number', headers: ['发票号码', '发票号'] },
  { field: 'type', headers: ['发票类型', '类型'], ...choice(invoiceTypeLabels) },
  { field: 'amount', headers: ['开票金额', '金额'], ...money },
  { field: 'issuedAt', headers: ['开票日期'] },
  remark,
]

/** 销售目标: one column per month (1月 … 12月) */
export const targetColumns: readonly Column[] = [
  { field: 'scope', headers: ['目标类型', '类型'], ...choice(targetScopeLabels) },
  { field: 'subjectName', headers: ['部门或人员', '目标对象', '部门', '人员'] },
  { field: 'metric', headers: ['指标', '目标指标'], ...choice(targetMetricLabels) },
  { field: 'year', headers: ['年度', '年份'], parse: number },
  ...Array.from({ length: 12 }, (_, i) => ({
    field: `m${i + 1}`,
    headers: [`${i + 1}月`, `${i + 1} 月`],
    ...money,
  })),
]

export const importColumns: Record<ImportCollection, readonly Column[]> = {
  customers: customerColumns,
  leads: leadColumns,
  contacts: contactColumns,
  products: productColumns,
  opportunities: opportunityColumns,
  contracts: contractColumns,
  followups: followUpColumns,
  'payment-plans': paymentPlanColumns,
  payments: paymentColumns,
  invoices: invoiceColumns,
  targets: targetColumns,
}

const headerKey = (header: string) =>
  header
    .normalize('NFKC')
    .replace(/[\s*＊:：]/g, '')
    .toLowerCase()

/**
 * The field each header fills: the request's mapping first, then the table (headers and aliases,
 * ignoring spaces, full-width forms, a required-mark `*`). Unknown and export-only columns are left out.
 */
export function mapHeaders(
  collection: ImportCollection,
  headers: string[],
  mapping: Record<string, string> = {},
  /** the collection's custom fields (`customColumns`), after its own */
  custom: readonly Column[] = [],
): (Column | undefined)[] {
  const columns = [...importColumns[collection], ...custom].filter((c) => !c.exportOnly)
  const taken = new Set<string>()
  return headers.map((header) => {
    const asked = mapping[header]
    const column = asked
      ? columns.find((c) => c.field === asked)
      : columns.find((c) => !taken.has(c.field) && c.headers.some((h) => headerKey(h) === headerKey(header)))
    if (column) taken.add(column.field)
    return column
  })
}

// ------------------------------------------------------------------------------ custom fields

const split = (text: string) =>
  text
    .split(/[,，、;；\n]/)
    .map((t) => t.trim())
    .filter(Boolean)

/**
 * The columns of a collection's custom fields in use, headed by their labels (field `custom.<key>`):
 * choices by label (or value), yes/no as 是/否, multiple choices separated by 、 or commas, money in
 * yuan, numbers as numbers. Imports read them, exports write them, the template lists them.
 */
export function customColumns(fields: readonly SavedField[]): Column[] {
  return customFieldsInUse(fields).map((field) => {
    const options = field.options ?? []
    const byLabel = (t: string) => options.find((o) => o.label === t || o.value === t)?.value ?? t
    const label = (v: unknown) => options.find((o) => o.value === v)?.label ?? String(v)
    const column: Column = { field: `custom.${field.key}`, headers: [field.label] }
    switch (field.type) {
      case 'number':
        return { ...column, parse: number }
      case 'money':
        return { ...column, parse: number, format: yuan }
      case 'boolean':
        return { ...column, parse: boolean, format: (v) => (v === true ? '是' : v === false ? '否' : '') }
      case 'select':
        return { ...column, parse: byLabel, format: (v) => (v === undefined || v === null ? '' : label(v)) }
      case 'multiselect':
        return {
          ...column,
          parse: (t) => split(t).map(byLabel),
          format: (v) => (Array.isArray(v) ? v.map(label).join('、') : ''),
        }
      case 'attachments':
        return { ...column, exportOnly: true, format: (v) => (Array.isArray(v) ? `${v.length} 个附件` : '') }
      default:
        return column
    }
  })
}
