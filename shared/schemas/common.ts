import * as z from 'zod'
import { zhCN } from 'zod/locales'

// Validation messages in Chinese, on both sides (the UIs show them as they are); `null` for a field that
// needs a value (a required one in a PATCH) answers `name: 不能为空` rather than naming JSON types.
z.config(zhCN())
z.config({
  customError: (issue) =>
    (issue.code === 'invalid_type' || issue.code === 'invalid_value') && issue.input === null
      ? '不能为空'
      : undefined,
})

// Inputs (bodies, queries, upload fields: what clients send) are `z.strictObject`, so a field or parameter
// the server does not know is a 400 naming it; records and answers stay `z.object` (stored items carry
// more than they show). zod 4 keeps strictness through `.extend/.omit/.pick/.partial`, not a spread shape.
export const Id = z.string().min(1).max(64)
export type Id = z.infer<typeof Id>

/** ISO 8601 date-time with an offset (`2026-12-01T09:00:00+08:00` or `Z`). */
export const Timestamp = z.iso.datetime({ offset: true })
export const DateOnly = z.iso.date()

/**
 * Money: yuan with at most 2 decimals on the wire, integer fen inside (so no sum passes through floating
 * point). `parse`/`decode` gives fen; `z.encode` gives yuan back. "Two decimals" is judged on the
 * number's shortest decimal form, which is exact at any size (`yuan * 100` drifts above ~1e8 yuan).
 */
const twoDecimals = (yuan: number) => /^-?\d+(\.\d{1,2})?$/.test(String(yuan))
const yuanCodec = (min: number, max: number) =>
  z.codec(z.number().min(min).max(max).refine(twoDecimals, '金额最多两位小数'), z.int(), {
    decode: (yuan) => Math.round(yuan * 100),
    encode: (fen) => fen / 100,
  })
export const Money = yuanCodec(0, 1e12)
/** An amount that may go below zero (an overpaid contract's outstanding amount). */
export const SignedMoney = yuanCodec(-1e14, 1e14)
/** A sum of money in a report. */
export const MoneySum = yuanCodec(0, 1e14)

/**
 * A record's custom field values on the wire (`custom: {cf_xxx: value}`): keys are checked here, values
 * against the tenant's field definitions by the server (`shared/schemas/fields.ts` `customSchema`), which
 * it knows and this static schema does not. Money values are yuan on the wire, fen inside.
 */
export const CustomValues = z.record(
  z.string().regex(/^cf_[a-z0-9]{4,16}$/, '自定义字段标识不合法'),
  z.unknown(),
)
export type CustomValues = z.infer<typeof CustomValues>
/** 附件: the ids of attachments a record holds (`POST /api/attachments` gives them). */
export const AttachmentIds = z.array(Id).max(20, '最多 20 个附件')

export const Role = z.enum(['admin', 'manager', 'member'])
export type Role = z.infer<typeof Role>

/** What every stored record carries. */
export const RecordMeta = z.object({
  id: Id,
  createdAt: Timestamp,
  createdBy: Id,
  updatedAt: Timestamp,
  version: z.int().min(1),
})
export type RecordMeta = z.infer<typeof RecordMeta>

/** A query-string boolean (`?enabled=true`). */
export const QueryBoolean = z.enum(['true', 'false']).transform((v) => v === 'true')

/**
 * A list's query. Strict, like every input schema (`z.strictObject`): an unknown parameter is a 400 naming
 * it, never silently ignored; each list's `ListQuery.extend({...})` keeps the strictness.
 */
export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(20),
  cursor: z.string().max(2048).optional(),
})
export type ListQuery = z.infer<typeof ListQuery>

export const Page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() })
/** A page with the count the list keeps (`total`, on the first page: 共有 N 条记录). */
export const CountedPage = <T extends z.ZodType>(item: T) => Page(item).extend({ total: z.int().nullable() })

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}

/** What a PATCH sends for a field it clears. */
export type Cleared<T> = { [K in keyof T]?: T[K] | null }

const acceptsUndefined = (schema: z.ZodType) => schema.safeParse(undefined).success

/**
 * A field a PATCH may clear: `null` on the wire is "no value" inside — the field's default when it has
 * one, else `undefined`, kept under its key so the merge `{ ...current, ...changes }` drops the stored
 * attribute (a field left out of the body stays as it is). Encoding gives `null` back for a cleared field.
 */
const clearable = (field: z.ZodType) => {
  const empty = () => (field instanceof z.ZodDefault ? field.parse(undefined) : undefined)
  const value = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field
  return z
    .codec(value.nullable(), z.unknown(), {
      decode: (given) => (given === null ? empty() : given),
      encode: (kept) => kept ?? null,
    })
    .optional()
}

/**
 * A PATCH body: the changed fields and the version the client last saw. A field the client leaves out
 * stays as it is; `null` clears a field the create may leave out (its default, if it has one), unless
 * the stored record (`record`, when given) must have it — a clear of such a field, or of a required
 * one, is a 400 naming the field.
 */
export const Patch = <T extends z.ZodObject>(input: T, record?: z.ZodType) => {
  const stored = record instanceof z.ZodObject ? (record.shape as Record<string, z.ZodType>) : {}
  const shape = Object.fromEntries(
    Object.entries(input.shape as Record<string, z.ZodType>).map(([name, field]) => {
      const mayClear = acceptsUndefined(field) && (!stored[name] || acceptsUndefined(stored[name]))
      const value = field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field
      return [name, mayClear ? clearable(field) : value.optional()]
    }),
  )
  return z
    .object(shape)
    .extend({ version: z.int().min(1) })
    .strict() as unknown as z.ZodType<
    Partial<z.output<T>> & { version: number },
    Cleared<z.input<T>> & { version: number }
  >
}

/**
 * Invalid input as the API answers it (400 `validation.failed`): a message naming the first field, and
 * every issue as `{ path, message }`. An unknown parameter or field comes first: a misspelt name
 * (`?qq=`) explains the required one it leaves missing.
 */
export function validationFailure(error: z.ZodError) {
  const details = [...error.issues]
    .sort((a, b) => Number(b.code === 'unrecognized_keys') - Number(a.code === 'unrecognized_keys'))
    .map(({ path, message }) => ({ path, message }))
  const first = details[0]
  const where = first?.path.length ? `${first.path.join('.')}: ` : ''
  return { message: `${where}${first?.message ?? '输入有误'}`, details }
}

/** What an error answer's `details` say where they name places (`validation.failed`, `attachment.not_found`). */
export const ErrorDetails = z.array(
  z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }),
)
export type ErrorDetails = z.infer<typeof ErrorDetails>

export const ApiErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
})
export type ApiErrorBody = z.infer<typeof ApiErrorBody>

/** 回收站: a deleted record, as the recycle bin lists it. */
export const BinEntry = z.object({
  collection: z.string(),
  id: Id,
  label: z.string(),
  deletedAt: Timestamp,
  deletedBy: Id,
})
export type BinEntry = z.infer<typeof BinEntry>
export const BinFilter = ListQuery.extend({ collection: z.string().max(40).optional() })

/**
 * A Chinese mobile (11 digits from 1, optional +86) or a landline with its area code; stored as digits
 * only, so search and dedup compare like with like.
 */
export const Phone = z.codec(z.string().trim().max(40), z.string(), {
  decode: (raw, ctx) => {
    const digits = raw
      .replace(/[\s\-()（）]/g, '')
      .replace(/^(\+86|0086)/, '')
      .replace(/^86(?=1\d{10}$)/, '')
    if (/^1[3-9]\d{9}$/.test(digits) || /^0\d{9,11}$/.test(digits)) return digits
    ctx.issues.push({ code: 'custom', message: '请输入正确的手机号（11 位）或带区号的座机号', input: raw })
    return z.NEVER
  },
  // the digits are a valid phone as they are: the apps send them back unchanged
  encode: (digits) => digits,
})
