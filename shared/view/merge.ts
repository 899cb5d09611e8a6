import type * as z from 'zod'
import type { Customer, DuplicateHint, MergeInput } from '../schemas/index.js'
import { customKey, isCustom, valueOf } from './custom-fields.js'
import { customerCategoryLabels, duplicateReasonLabels, labelOf } from './labels.js'
import { displayValue, type FieldView, type NameLookup } from './record-view.js'

/**
 * 客户合并 and 查重 for both apps: which fields the user chooses a value of, how each value reads, which
 * fields differ among the customers picked, the request the choices make, and a 查重 hit in words.
 */

/** the fields whose value the merged customer may take from a source (MergeField, less the map point) */
export const mergeFields = [
  ['name', '客户名称'],
  ['category', '客户分类'],
  ['source', '客户来源'],
  ['phone', '电话'],
  ['address', '地址'],
  ['industry', '行业'],
  ['remark', '备注'],
] as const
export type MergeChoosable = (typeof mergeFields)[number][0]

/** What a customer's value of a field reads as ('' when it has none). */
export const mergeValueText = (customer: Customer, field: MergeChoosable): string => {
  const value = customer[field]
  if (value === undefined || value === null || value === '') return ''
  return field === 'category'
    ? (customerCategoryLabels[value as NonNullable<Customer['category']>] ?? '')
    : String(value)
}

/** A field the user picks a value of: the customers that have one (the kept customer always first). */
export interface MergeChoice {
  field: MergeChoosable
  label: string
  options: { id: string; text: string }[]
}

/**
 * The customers' values of one field, when they differ among the kept customer and those merged into
 * it, or the kept one lacks it and a source has it (the only fields worth a choice): the kept customer
 * first, then each source that has a value.
 */
function optionsOf(
  target: Customer,
  sources: readonly Customer[],
  text: (customer: Customer) => string,
): MergeChoice['options'] | undefined {
  const everyone = [target, ...sources]
  const values = new Set(everyone.map(text).filter(Boolean))
  const differs = values.size > 1 || (values.size === 1 && !text(target))
  if (!sources.length || !differs) return undefined
  return everyone.filter((c, i) => i === 0 || text(c)).map((c) => ({ id: c.id, text: text(c) || '（空）' }))
}

/** The built-in fields the user picks a value of. */
export function mergeChoices(target: Customer, sources: readonly Customer[]): MergeChoice[] {
  return mergeFields.flatMap(([field, label]) => {
    const options = optionsOf(target, sources, (c) => mergeValueText(c, field))
    return options ? [{ field, label, options }] : []
  })
}

/** What a customer's value of a custom field reads as ('' when it has none). */
export function mergeCustomText(customer: Customer, field: FieldView, names?: NameLookup): string {
  const value = valueOf(customer as unknown as Record<string, unknown>, field)
  if (value === undefined || value === null || value === '' || (Array.isArray(value) && !value.length))
    return ''
  return displayValue(field, value, names)
}

/** A custom field (字段管理) the user picks a value of; `key`: its custom key, as the request names it. */
export interface MergeCustomChoice {
  key: string
  label: string
  options: { id: string; text: string }[]
}

/**
 * The tenant's custom fields among a customer view's `fields` (字段管理's, attachments aside) whose values
 * differ, chosen the same way as the built-in ones.
 */
export function mergeCustomChoices(
  target: Customer,
  sources: readonly Customer[],
  fields: readonly FieldView[],
  names?: NameLookup,
): MergeCustomChoice[] {
  return fields.flatMap((field) => {
    if (!isCustom(field.name) || field.kind === 'attachments') return []
    const options = optionsOf(target, sources, (c) => mergeCustomText(c, field, names))
    return options ? [{ key: customKey(field.name), label: field.label, options }] : []
  })
}

/**
 * The request: each field chosen from a source (the kept customer's own values need no entry), the
 * custom fields' (`customChosen`, by custom key) as `custom`.
 */
export function mergeInput(
  target: Customer,
  sources: readonly Customer[],
  chosen: Partial<Record<MergeChoosable, string>>,
  customChosen: Record<string, string> = {},
): z.infer<typeof MergeInput> {
  const fromSources = (all: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(all).filter(([, from]) => from && from !== target.id)) as Record<
      string,
      string
    >
  const custom = fromSources(customChosen)
  return {
    targetId: target.id,
    sourceIds: sources.map((s) => s.id),
    fields: fromSources(chosen),
    ...(Object.keys(custom).length && { custom }),
  }
}

/** at most this many customers merge into one at a time (MergeInput) */
export const MERGE_MAX_SOURCES = 10

/** What the confirmation says before a merge. */
export const mergeConfirmText = (target: Customer, sources: readonly Customer[]): string =>
  `将 ${sources.map((s) => `「${s.name}」`).join('、')} 合并到「${target.name}」：它们的联系人、跟进记录、商机、合同等将转到「${target.name}」名下，被合并的客户移入回收站。`

/** A 查重 hit in words: why it matched and whose it is (`ownerName`: the owner's name, else the id). */
export const duplicateBrief = (hint: Pick<DuplicateHint, 'reason' | 'ownerId'>, ownerName?: string): string =>
  `${labelOf(duplicateReasonLabels, hint.reason)} · ${
    hint.ownerId ? `客户经理 ${ownerName ?? hint.ownerId}` : '在公海中'
  }`
