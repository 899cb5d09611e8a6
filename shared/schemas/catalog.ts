import * as z from 'zod'
import { CustomValues, ListQuery, Money, QueryBoolean, RecordMeta } from './common.js'

/** 产品 */
export const ProductInput = z.strictObject({
  name: z.string().trim().min(1, '请填写产品名称').max(100),
  code: z.string().trim().max(50).optional(),
  unit: z.string().trim().max(20).optional(),
  price: Money.optional(),
  enabled: z.boolean().default(true),
  description: z.string().max(2000).optional(),
  custom: CustomValues.optional(),
})
export const Product = RecordMeta.extend(ProductInput.shape)
export type Product = z.infer<typeof Product>
export const ProductFilter = ListQuery.extend({
  q: z.string().trim().min(1).max(50).optional(),
  enabled: QueryBoolean.optional(),
})

/** 竞争对手 */
export const CompetitorInput = z.strictObject({
  name: z.string().trim().min(1, '请填写竞争对手名称').max(100),
  strengths: z.string().max(2000).optional(),
  weaknesses: z.string().max(2000).optional(),
})
export const Competitor = RecordMeta.extend(CompetitorInput.shape)
export type Competitor = z.infer<typeof Competitor>
export const CompetitorFilter = ListQuery.extend({ q: z.string().trim().min(1).max(50).optional() })
