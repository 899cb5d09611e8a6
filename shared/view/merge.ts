import type * as z from 'zod'
import type { Customer, DuplicateHint, MergeInput } from '../schemas/index.js'
import { customerCategoryLabels, duplicateReasonLabels, labelOf } from './labels.js'

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
 * The fields whose values differ among the kept customer and those merged into it, or that the kept
 * one lacks and a source has: the only ones worth a choice.
 */
export function mergeChoices(target: Customer, sources: readonly Customer[]): MergeChoice[] {
  const everyone = [target, ...sources]
  return mergeFields.flatMap(([field, label]) => {
    const values = new Set(everyone.map((c) => mergeValueText(c, field)).filter(Boolean))
    const differs = values.size > 1 || (values.size === 1 && !mergeValueText(target, field))
    if (!sources.length || !differs) return []
    const options = everyone
      .filter((c, i) => i === 0 || mergeValueText(c, field))
      .map((c) => ({ id: c.id, text: mergeValueText(c, field) || '（空）' }))
    return [{ field, label, options }]
  })
}

/** The request: each field chosen from a source (the kept customer's own values need no entry). */
export const mergeInput = (
  target: Customer,
  sources: readonly Customer[],
  chosen: Partial<Record<MergeChoosable, string>>,
): z.infer<typeof MergeInput> => ({
  targetId: target.id,
  sourceIds: sources.map((s) => s.id),
  fields: Object.fromEntries(Object.entries(chosen).filter(([, from]) => from && from !== target.id)),
})

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
