import type * as z from 'zod'
import { Competitor, Product } from '../../shared/schemas/index.js'
import { defineCollection, type StoredRecord } from '../db/collection.js'
import { CompetitorEntity, ProductEntity } from '../db/entities/catalog.js'
import { TAG } from '../db/entities/record.js'
import { all, type Filter } from '../db/filter.js'

/** 产品 and 竞争对手: plain catalog records, every CRUD verb generic. */
export type ProductRecord = StoredRecord & z.output<typeof Product>
export type CompetitorRecord = StoredRecord & z.output<typeof Competitor>

export const Products = defineCollection<ProductRecord>({
  name: 'product',
  path: 'products',
  tag: TAG.product,
  entity: ProductEntity,
  schema: Product,
  label: (p) => p.name,
})

export const Competitors = defineCollection<CompetitorRecord>({
  name: 'competitor',
  path: 'competitors',
  tag: TAG.competitor,
  entity: CompetitorEntity,
  schema: Competitor,
  label: (c) => c.name,
})

/** `?q=` matches any part of the name (or the product code); DynamoDB applies it within the one Query. */
export const productFilter = ({ q, enabled }: { q?: string; enabled?: boolean }): Filter | undefined =>
  all(
    q && {
      or: [
        { attr: 'name', contains: q },
        { attr: 'code', contains: q },
      ],
    },
    enabled !== undefined && { attr: 'enabled', eq: enabled },
  )

export const competitorFilter = ({ q }: { q?: string }): Filter | undefined =>
  all(q && { attr: 'name', contains: q })
