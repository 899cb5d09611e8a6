import * as z from 'zod'
import { Id } from './common.js'

/** The record types whose names other records show (a contact's 客户, a payment's 合同). */
export const NamedCollection = z.enum(['customers', 'contacts', 'opportunities', 'contracts'])
export type NamedCollection = z.infer<typeof NamedCollection>

const Ref = z.object({ collection: NamedCollection, id: Id })
export type RecordRef = z.infer<typeof Ref>

/** `customers:01H…,contracts:01J…` → the records it names (unknown parts left out: the query checks them). */
export const splitRefs = (text: string): RecordRef[] =>
  text
    .split(',')
    .filter(Boolean)
    .flatMap((part) => {
      const [collection, id, ...rest] = part.split(':')
      const ref = Ref.safeParse({ collection, id })
      return ref.success && !rest.length ? [ref.data] : []
    })

/**
 * `?refs=customers:01H…,contracts:01J…`: up to 100 records of one list page. A string on both sides (the
 * client sends it as it is); every part must name a record type and an id.
 */
export const NamesQuery = z.strictObject({
  refs: z.string().superRefine((text, ctx) => {
    const parts = text.split(',').filter(Boolean)
    if (!parts.length) ctx.addIssue({ code: 'custom', message: '请至少给出一条记录' })
    if (parts.length > 100) ctx.addIssue({ code: 'custom', message: '一次最多 100 条记录' })
    if (splitRefs(text).length !== parts.length)
      ctx.addIssue({ code: 'custom', message: '无法识别的记录（应为 类型:id，以逗号分隔）' })
  }),
})
export const RecordName = z.object({ collection: NamedCollection, id: Id, name: z.string() })
/** the names of the records the caller may see; the others are left out */
export const Names = z.object({ items: z.array(RecordName) })
export type Names = z.infer<typeof Names>
