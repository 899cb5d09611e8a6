import type { Entity } from 'dynamodb-toolbox/entity'
import type * as z from 'zod'
import type { Session } from '../core/context.js'
import type { Write } from './commit.js'
import { withCustomEntries } from './custom-index.js'
import { tenantKey, TAG } from './entities/record.js'

/** The stored form of every business record (fields in their internal units: money in fen). */
export interface StoredRecord {
  tenantId: string
  id: string
  createdAt: string
  createdBy: string
  updatedAt: string
  version: number
  deletedAt?: string
  deletedBy?: string
  [field: string]: unknown
}

type IndexKeys = Partial<Record<'gsi2pk' | 'gsi2sk' | 'gsi3pk' | 'gsi3sk' | 'altsk', string>>

/**
 * A collection of records kept by the generic record verbs (list, get, create, update, delete to the
 * recycle bin, restore): its entity, its key tag, and the hooks a domain adds.
 */
export interface Collection<R extends StoredRecord = StoredRecord> {
  /** singular, for error codes: `product.not_found` */
  name: string
  /** plural, as in the URL and the recycle bin: `products` (also the toolbox entity name) */
  path: string
  tag: string
  // Toolbox entities differ in their schemas; the generic verbs see them through this one type.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  entity: Entity<string, any, any, any, any>
  /** the record on the wire (shared zod schema; encodes fen → yuan) */
  schema: z.ZodType
  /** what the recycle bin shows */
  label(record: R): string
  /** extra index keys of a live record (gsi2, gsi3; `altsk`: its second order in gsi1–3alt) */
  indexKeys?(record: R): IndexKeys
  /** may this caller see the record? (default: anyone in the tenant; deal records may ask their customer) */
  visible?(session: Session, record: R): boolean | Promise<boolean>
  /**
   * items kept with the record (counters, search entries...), as writes that take them from the record's
   * state `before` (undefined on create) to `after`; the generic verbs add them to the same transaction,
   * so deleting and restoring through the recycle bin keeps them right too
   */
  sideWrites?(before: R | undefined, after: R): Write[]
}

/** A collection; its side writes also keep the entries of its custom values and attachments. */
export const defineCollection = <R extends StoredRecord>(collection: Collection<R>): Collection<R> =>
  withCustomEntries(collection)

const INDEX_ATTRIBUTES = ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'altsk'] as const

/**
 * The index keys of a record as it now is: a live record is listed in its collection (gsi1, newest first
 * by ULID) and in the domain's own indexes; a deleted one only in the recycle bin.
 */
export function withIndexKeys<R extends StoredRecord>(collection: Collection<R>, record: R): StoredRecord {
  const plain: StoredRecord = { ...record }
  for (const name of INDEX_ATTRIBUTES) delete plain[name]
  if (record.deletedAt) {
    return {
      ...plain,
      gsi1pk: tenantKey(record.tenantId, TAG.bin),
      gsi1sk: `${record.deletedAt}#${collection.tag}#${record.id}`,
    }
  }
  return {
    ...plain,
    gsi1pk: tenantKey(record.tenantId, collection.tag),
    gsi1sk: record.id,
    ...collection.indexKeys?.(record),
  }
}
