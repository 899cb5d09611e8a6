import type * as z from 'zod'
import {
  type AllFields,
  customFilterSchema,
  customSchema,
  type FieldCollection,
  filterKind,
  type SavedField,
} from '../../../shared/schemas/fields.js'
import type { CustomCondition, CustomFilter, Session } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { validate } from '../../core/validate.js'
import { sortable } from '../../db/custom-index.js'
export { mergeCustom } from '../../db/custom-index.js'
import { TAG } from '../../db/entities/record.js'
import { validationFailure } from '../../../shared/schemas/common.js'

/**
 * A record's custom values against the tenant's definitions, on every write path: the routes' bodies
 * (create, patch: `checkBody`, bound once for every collection in the HTTP layer), imports and merges
 * (`checkCustom`). Also the lists' `custom.<key>` filters (`listFilter`) and the answers' money (fen →
 * yuan, `answerCustom`).
 */

/** The key tag and the toolbox entity of each collection that takes custom fields. */
export const FIELD_TAGS: Record<FieldCollection, string> = {
  leads: TAG.lead,
  customers: TAG.customer,
  contacts: TAG.contact,
  followups: TAG.followUp,
  opportunities: TAG.opportunity,
  contracts: TAG.contract,
  'payment-plans': TAG.paymentPlan,
  payments: TAG.payment,
  invoices: TAG.invoice,
  products: TAG.product,
}

/** 400 `validation.failed` whose paths start with `custom`. */
function failed(error: z.ZodError, prefix: (string | number)[]): never {
  const { details } = validationFailure(error)
  const paths = details.map((d) => ({ ...d, path: [...prefix, ...d.path] }))
  const first = paths[0]
  throw new AppError(400, 'validation.failed', `${first.path.join('.')}: ${first.message}`, paths)
}

/**
 * A record's `custom` as a write sends it, checked: the stored form (money in fen; `null` in a patch
 * clears). A create (`partial: false`) must hold every required field; a patch may not clear one.
 */
export function checkCustom(
  fields: readonly SavedField[],
  custom: unknown,
  { partial }: { partial: boolean },
): Record<string, unknown> {
  const result = customSchema(fields, { partial }).safeParse(custom ?? {})
  if (!result.success) failed(result.error, ['custom'])
  return Object.fromEntries(Object.entries(result.data).filter(([, v]) => v !== undefined))
}

/** A built-in choice a write may not take any more (its option is disabled): 400 naming the field. */
function checkBuiltInChoices(fields: readonly SavedField[], body: Record<string, unknown>) {
  for (const field of fields) {
    if (!field.builtIn || !field.options) continue
    const value = body[field.key]
    if (typeof value !== 'string') continue
    if (field.options.some((o) => o.value === value && o.disabled)) {
      const message = `「${field.label}」的选项「${value}」已停用`
      throw new AppError(400, 'validation.failed', `${field.key}: ${message}`, [
        { path: [field.key], message },
      ])
    }
  }
}

/** A create's or a patch's body, its `custom` checked and in stored form. */
export function checkBody<B>(all: AllFields, collection: FieldCollection, body: B, partial: boolean): B {
  const fields = all.collections[collection]
  const input = (body ?? {}) as Record<string, unknown>
  checkBuiltInChoices(fields, input)
  const custom = checkCustom(fields, input.custom, { partial })
  if (!partial && Object.keys(custom).length === 0 && input.custom === undefined) return body
  return { ...input, custom } as B
}

/**
 * A list query split in two: its own parameters, and the `custom.<key>` ones, checked against the
 * definitions (an unknown or removed key, a value filter on a range field... is a 400) and turned into
 * index conditions. Money bounds are yuan on the wire, fen in the index.
 */
export function listFilter(
  all: AllFields,
  collection: FieldCollection,
  session: Session,
  query: Record<string, string | undefined> | null | undefined,
): { query: Record<string, string | undefined>; filter?: CustomFilter } {
  const own: Record<string, string | undefined> = {}
  const custom: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(query ?? {})) {
    if (name.startsWith('custom.')) custom[name] = value
    else own[name] = value
  }
  if (!Object.keys(custom).length) return { query: own }
  const fields = all.collections[collection]
  const parsed = validate(customFilterSchema(fields), custom) as Record<string, unknown>
  const conditions: CustomCondition[] = []
  for (const field of fields) {
    const name = `custom.${field.key}`
    const kind = filterKind(field.type)
    if (kind === 'value' && parsed[name] !== undefined) {
      conditions.push({ key: field.key, value: String(parsed[name]) })
    }
    if (kind === 'range' && (parsed[`${name}From`] !== undefined || parsed[`${name}To`] !== undefined)) {
      const bound = (v: unknown) => {
        if (v === undefined) return undefined
        const value = field.type === 'money' ? Math.round(Number(v) * 100) : v
        return sortable(field.type, value)
      }
      conditions.push({
        key: field.key,
        type: field.type as 'number' | 'money' | 'date' | 'datetime',
        from: bound(parsed[`${name}From`]),
        to: bound(parsed[`${name}To`]),
      })
    }
  }
  // a value condition reads the narrowest partition; ranges check the rest on the records
  conditions.sort((a, b) => Number('value' in b) - Number('value' in a))
  return {
    query: own,
    filter: { tenantId: session.tenantId, tag: FIELD_TAGS[collection], entity: collection, conditions },
  }
}

/** The money custom values of an answer (a record, a page, a merge) back to yuan. */
export function answerCustom(all: AllFields, result: unknown): unknown {
  const money = new Set(
    Object.values(all.collections)
      .flat()
      .filter((f) => f.type === 'money' && !f.builtIn)
      .map((f) => f.key),
  )
  if (!money.size || !result || typeof result !== 'object') return result
  const record = (value: unknown): unknown => {
    if (!value || typeof value !== 'object') return value
    const custom = (value as { custom?: Record<string, unknown> }).custom
    if (!custom) return value
    const out = Object.fromEntries(
      Object.entries(custom).map(([k, v]) => [k, money.has(k) && typeof v === 'number' ? v / 100 : v]),
    )
    return { ...value, custom: out }
  }
  const answer = result as Record<string, unknown>
  if (Array.isArray(answer.items)) return { ...answer, items: answer.items.map(record) }
  if (answer.target) return { ...answer, target: record(answer.target) }
  return record(answer)
}
