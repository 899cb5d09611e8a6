import * as z from 'zod'
import { DateOnly, Id, Money, Phone, Timestamp } from './common.js'

/**
 * 字段管理 (API.md "Custom fields and choice lists"): a tenant's field definitions per collection, and
 * the schemas derived from them that check a record's `custom` values on every write path and its
 * `custom.<key>` list filters. Both apps build their forms from the same definitions.
 */

export const FieldType = z.enum([
  'text',
  'textarea',
  'number',
  'money',
  'date',
  'datetime',
  'select',
  'multiselect',
  'boolean',
  'user',
  'dept',
  'phone',
  'email',
  'url',
  'attachments',
])
export type FieldType = z.infer<typeof FieldType>

export const FieldOption = z.strictObject({
  /** what is stored: kept when the option is renamed */
  value: z.string().trim().min(1).max(50),
  label: z.string().trim().min(1, '选项名称不能为空').max(50),
  /** kept readable on the records that hold it; new writes may not choose it */
  disabled: z.boolean().optional(),
})
export type FieldOption = z.infer<typeof FieldOption>

/** A custom field's key: `cf_` and a short id the server gives it on first save. */
export const CUSTOM_KEY = /^cf_[a-z0-9]{4,16}$/
const FieldKey = z.string().regex(/^(cf_[a-z0-9]{4,16}|[a-z][a-zA-Z0-9]{0,39})$/, '字段标识不合法')

const withOptions = new Set<FieldType>(['select', 'multiselect'])
/** the types a list can filter on by value, and by range */
const filterByValue = new Set<FieldType>(['select', 'multiselect', 'boolean', 'user', 'dept'])
const filterByRange = new Set<FieldType>(['number', 'money', 'date', 'datetime'])

export const FieldDefinition = z
  .strictObject({
    /** absent on a custom field not saved yet */
    key: FieldKey.optional(),
    label: z.string().trim().min(1, '字段名称不能为空').max(30),
    type: FieldType,
    required: z.boolean().default(false),
    options: z.array(FieldOption).max(200).optional(),
    /** a column of the PC table and a line of the phone list row */
    showInList: z.boolean().default(false),
    /** text fields: 全文检索 finds records by it */
    searchable: z.boolean().default(false),
    order: z.int().min(0).max(10_000),
    /** one of the collection's own fields: relabel, options; never removed or retyped */
    builtIn: z.boolean().default(false),
    /** hidden from forms and lists; its values stay and come back when restored */
    removed: z.boolean().default(false),
  })
  .superRefine((field, ctx) => {
    if (withOptions.has(field.type) && !field.options?.length) {
      ctx.addIssue({ code: 'custom', path: ['options'], message: `「${field.label}」至少需要一个选项` })
    }
    if (!withOptions.has(field.type) && field.options && !field.builtIn) {
      ctx.addIssue({
        code: 'custom',
        path: ['options'],
        message: `「${field.label}」不是选择类字段，不能有选项`,
      })
    }
    const values = (field.options ?? []).map((o) => o.value)
    const repeated = values.find((v, i) => values.indexOf(v) !== i)
    if (repeated) ctx.addIssue({ code: 'custom', path: ['options'], message: `选项「${repeated}」重复` })
    if (field.searchable && field.type !== 'text' && field.type !== 'textarea') {
      ctx.addIssue({ code: 'custom', path: ['searchable'], message: '只有文本字段可以设为可搜索' })
    }
    if (field.builtIn && field.removed) {
      ctx.addIssue({ code: 'custom', path: ['removed'], message: `「${field.label}」是系统字段，不能删除` })
    }
  })
export type FieldDefinition = z.output<typeof FieldDefinition>

/** `PUT /api/settings/fields/{collection}`: the whole list, against the version the admin loaded. */
export const FieldsInput = z
  .strictObject({ version: z.int().min(0), fields: z.array(FieldDefinition).max(100) })
  .superRefine(({ fields }, ctx) => {
    const seen = new Map<string, number>()
    fields.forEach((field, index) => {
      for (const [kind, name] of [
        ['key', field.key],
        ['label', field.label],
      ] as const) {
        if (name === undefined) continue
        const id = `${kind}:${name}`
        if (seen.has(id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['fields', index, kind],
            message: kind === 'label' ? `字段名称「${name}」重复` : `字段标识 ${name} 重复`,
          })
        }
        seen.set(id, index)
      }
    })
  })

/** A saved field always has its key. */
export type SavedField = FieldDefinition & { key: string }

export const Fields = z.object({ version: z.int().min(0), fields: z.array(FieldDefinition) })

/** Someone's name in a message: 「客户等级」. */
const named = (field: SavedField) => `「${field.label}」`

/** The schema of one value, as a write sends it (money in yuan on the wire, fen inside). */
export function valueSchema(field: SavedField): z.ZodType {
  const enabled = (field.options ?? []).filter((o) => !o.disabled).map((o) => o.value)
  const choice = z.string().refine((v) => enabled.includes(v), `${named(field)}没有这个选项（或已停用）`)
  switch (field.type) {
    case 'text':
      return z
        .string()
        .trim()
        .max(200, `${named(field)}最多 200 个字`)
    case 'textarea':
      return z
        .string()
        .trim()
        .max(2000, `${named(field)}最多 2000 个字`)
    case 'number':
      return z
        .number(`${named(field)}须为数字`)
        .min(-1e12)
        .max(1e12)
    case 'money':
      return Money
    case 'date':
      return DateOnly
    case 'datetime':
      return Timestamp
    case 'select':
      return choice
    case 'multiselect':
      return z
        .array(choice)
        .max(50)
        .refine((vs) => new Set(vs).size === vs.length, `${named(field)}的选项重复`)
    case 'boolean':
      return z.boolean(`${named(field)}须为是或否`)
    case 'user':
    case 'dept':
      return Id
    case 'phone':
      return Phone
    case 'email':
      return z.email(`${named(field)}须为邮箱地址`)
    case 'url':
      return z.url(`${named(field)}须为网址`)
    case 'attachments':
      return z.array(Id).max(20, `${named(field)}最多 20 个附件`)
  }
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)

/**
 * The `custom` object of a create (`partial: false`) or of a patch (`partial: true`): only the fields in
 * use (an unknown or removed key is refused by name). On a create a required field must be there; on a
 * patch it may be left out but not emptied. An emptied optional field is `null` in a patch (cleared).
 */
export function customSchema(fields: readonly SavedField[], { partial }: { partial: boolean }) {
  const inUse = fields.filter((f) => !f.removed && !f.builtIn)
  return z.strictObject(Object.fromEntries(inUse.map((field) => [field.key, fieldSchema(field, partial)])))
}

function fieldSchema(field: SavedField, partial: boolean) {
  return z.preprocess(
    (given, ctx) => {
      if (!isEmpty(given)) return given
      const left = given === undefined
      if (field.required && !(partial && left)) {
        ctx.addIssue({
          code: 'custom',
          message: partial ? `${named(field)}为必填项，不能清空` : `${named(field)}为必填项`,
        })
        return z.NEVER
      }
      return partial && !left ? null : undefined
      // a required field of a create is not optional, so an absent key reaches the check above
    },
    field.required && !partial ? valueSchema(field) : valueSchema(field).nullable().optional(),
  )
}

/**
 * The list filters of the custom fields: `custom.<key>` for choice, yes/no, person and department;
 * `custom.<key>From` / `custom.<key>To` for number, money, date and date-time (query strings).
 */
export function customFilterSchema(fields: readonly SavedField[]) {
  const shape: Record<string, z.ZodType> = {}
  for (const field of fields) {
    if (field.removed || field.builtIn) continue
    const name = `custom.${field.key}`
    if (filterByValue.has(field.type)) {
      shape[name] = (
        field.type === 'boolean' ? z.enum(['true', 'false']) : z.string().min(1).max(64)
      ).optional()
    } else if (filterByRange.has(field.type)) {
      const bound =
        field.type === 'date' ? DateOnly : field.type === 'datetime' ? Timestamp : z.coerce.number()
      shape[`${name}From`] = bound.optional()
      shape[`${name}To`] = bound.optional()
    }
  }
  return z.strictObject(shape)
}

// ---------------------------------------------------------------- the collections and their built-in fields

/** The record collections that take custom fields (`/api/settings/fields/{collection}`). */
export const FieldCollection = z.enum([
  'leads',
  'customers',
  'contacts',
  'followups',
  'opportunities',
  'contracts',
  'payment-plans',
  'payments',
  'invoices',
  'products',
])
export type FieldCollection = z.infer<typeof FieldCollection>

const opts = (pairs: Record<string, string>): FieldOption[] =>
  Object.entries(pairs).map(([value, label]) => ({ value, label }))
/** the same text as value and label: a free-text field whose choices are suggestions kept as typed */
const words = (...labels: string[]) => labels.map((label) => ({ value: label, label }))

/** 客户来源 / 线索来源: the H3Yun manual's list and the sources the demo data already holds. */
const SOURCES = words(
  '电话营销',
  '网络推广',
  '展会',
  '客户介绍',
  '转介绍',
  '官网',
  '陌拜',
  '市场活动',
  '广告',
  '其他',
)

const builtIn = (
  key: string,
  label: string,
  type: FieldType,
  order: number,
  options?: FieldOption[],
): SavedField => ({
  key,
  label,
  type,
  order,
  options,
  required: false,
  showInList: false,
  searchable: false,
  builtIn: true,
  removed: false,
})

/**
 * Each collection's own fields an admin may relabel, and the built-in choice lists they may edit. The
 * keys are the records' own attributes. A choice list whose values are a fixed set in the API (客户分类,
 * 跟进方式, 合同类型, 付款方式, 发票类型, 重要级别) may be relabelled, reordered and disabled; a free-text
 * one (客户来源, 行业, 线索来源) also takes new choices.
 */
export const BUILT_IN_FIELDS: Record<FieldCollection, SavedField[]> = {
  leads: [builtIn('title', '线索名称', 'text', 0), builtIn('source', '线索来源', 'select', 1, SOURCES)],
  customers: [
    builtIn('name', '客户名称', 'text', 0),
    builtIn(
      'category',
      '客户分类',
      'select',
      1,
      opts({ A: 'A 类客户', B: 'B 类客户', C: 'C 类客户', D: 'D 类客户' }),
    ),
    builtIn('source', '客户来源', 'select', 2, SOURCES),
    builtIn(
      'industry',
      '行业',
      'select',
      3,
      words('制造', '电子', '互联网', '软件', '教育', '金融', '医疗', '零售', '物流', '其他'),
    ),
  ],
  contacts: [builtIn('name', '联系人姓名', 'text', 0)],
  followups: [
    builtIn(
      'method',
      '跟进方式',
      'select',
      0,
      opts({ phone: '电话', visit: '拜访', dingtalk: '钉钉', wechat: '微信', email: '邮件', other: '其他' }),
    ),
    builtIn('content', '跟进内容', 'textarea', 1),
  ],
  opportunities: [
    builtIn('name', '商机名称', 'text', 0),
    builtIn('importance', '重要级别', 'select', 1, opts({ high: '高', medium: '中', low: '低' })),
  ],
  contracts: [
    builtIn('name', '合同名称', 'text', 0),
    builtIn('type', '合同类型', 'select', 1, opts({ product: '产品合同', service: '服务合同' })),
  ],
  'payment-plans': [builtIn('dueDate', '计划回款日期', 'date', 0)],
  payments: [
    builtIn(
      'method',
      '付款方式',
      'select',
      0,
      opts({ cash: '现金', check: '支票', transfer: '银行转账', other: '其他' }),
    ),
  ],
  invoices: [
    builtIn('title', '发票抬头', 'text', 0),
    builtIn(
      'type',
      '发票类型',
      'select',
      1,
      opts({ vat_special: '增值税专用发票', vat_normal: '增值税普通发票' }),
    ),
  ],
  products: [builtIn('name', '产品名称', 'text', 0)],
}

/** Built-in choice lists whose values are a fixed set in the API: options relabel, never new values. */
export const FIXED_CHOICES: Partial<Record<FieldCollection, string[]>> = {
  customers: ['category'],
  followups: ['method'],
  opportunities: ['importance'],
  contracts: ['type'],
  payments: ['method'],
  invoices: ['type'],
}

/** One collection's fields as saved (built-in and custom, removed ones too) and their version. */
export const CollectionFields = z.object({ version: z.int().min(0), fields: z.array(FieldDefinition) })
export type CollectionFields = { version: number; fields: SavedField[] }

/** `GET /api/settings/fields`: every collection's fields; `version` moves with any collection's save. */
export const AllFields = z.object({
  version: z.int().min(0),
  collections: z.record(FieldCollection, z.array(FieldDefinition)),
})
export type AllFields = { version: number; collections: Record<FieldCollection, SavedField[]> }

/** The types a list filters on by value (`?custom.<key>=`), and by range (`From`/`To`). */
export const filterKind = (type: FieldType): 'value' | 'range' | undefined =>
  filterByValue.has(type) ? 'value' : filterByRange.has(type) ? 'range' : undefined

/** A field in use: not removed (custom ones only, as the forms add them after the built-in ones). */
export const customFieldsInUse = (fields: readonly SavedField[]) =>
  fields.filter((f) => !f.builtIn && !f.removed).sort((a, b) => a.order - b.order)

// ---------------------------------------------------------------- 附件

/** `POST /api/attachments`: what the client is about to upload. */
export const AttachmentInput = z.strictObject({
  fileName: z.string().trim().min(1, '请提供文件名').max(200),
  contentType: z
    .string()
    .trim()
    .regex(/^[\w.+-]+\/[\w.+-]+$/, '文件类型不合法')
    .max(100),
  size: z.int().min(1, '文件不能为空'),
})
export type AttachmentInput = z.infer<typeof AttachmentInput>

/** The signed upload: POST `uploadHeaders`' form fields and the file (`file`) to `uploadUrl`, before `expiresAt`. */
export const AttachmentUpload = z.object({
  id: Id,
  uploadUrl: z.string(),
  /** the form fields the upload sends before the file (policy and signature) */
  uploadHeaders: z.record(z.string(), z.string()),
  expiresAt: Timestamp,
})

export const Attachment = z.object({
  id: Id,
  fileName: z.string(),
  contentType: z.string(),
  size: z.int(),
  downloadUrl: z.string(),
  expiresAt: Timestamp,
})
export type Attachment = z.infer<typeof Attachment>
