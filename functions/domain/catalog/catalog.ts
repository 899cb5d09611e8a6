import type * as z from 'zod'
import { Competitor, Product } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { type Collection, defineCollection, type StoredRecord } from '../../db/collection.js'
import { CompetitorEntity, ProductEntity } from '../../db/entities/catalog.js'
import { TAG } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import { createRecord, getRecord, listRecords, removeRecord, updateRecord } from '../../db/records.js'

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

/** The generic record verbs for a plain collection; `where` turns the list query into a DynamoDB filter. */
function collectionVerbs<R extends StoredRecord, Q>(
  collection: Collection<R>,
  where?: (query: Q) => Filter | undefined,
) {
  return {
    list: (session: Session, query: Q & { limit: number; cursor?: string }) =>
      listRecords(collection, session, { limit: query.limit, cursor: query.cursor, filter: where?.(query) }),
    get: (session: Session, id: string) => getRecord(collection, session, id),
    create: (session: Session, body: object) =>
      createRecord(collection, session, body as Omit<R, keyof StoredRecord>),
    update: (session: Session, id: string, body: { version: number }) =>
      updateRecord(collection, session, id, body as { version: number } & Partial<R>),
    remove: (session: Session, id: string) => removeRecord(collection, session, id),
  }
}

export const productVerbs = collectionVerbs(Products, productFilter)
export const competitorVerbs = collectionVerbs(Competitors, competitorFilter)
