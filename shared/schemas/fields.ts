import * as z from 'zod'
import { DateOnly, Id, Money, Timestamp } from './common.js'
import { Phone } from './lifecycle.js'

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
