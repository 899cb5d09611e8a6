import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import * as z from 'zod'
import type { BinEntry, Page } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { forbidden, notFound } from '../../core/errors.js'
import type { StoredRecord } from '../../db/collection.js'
import { decodeCursor } from '../../db/cursor.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all } from '../../db/filter.js'
import { readPage } from '../../db/pages.js'
import { restoreRecord } from '../../db/records.js'
import { table } from '../../db/table.js'
import { collections } from './collections.js'

/** Managers and admins see the whole bin; a member sees what they deleted. */
const seesAll = (session: Session) => session.role !== 'member'

/** 回收站: deleted records of every collection, newest deletion first (a Query on gsi1: `readPage`). */
export async function listBin(
  session: Session,
  { limit, cursor, collection }: { limit: number; cursor?: string; collection?: string },
): Promise<Page<BinEntry>> {
  const entities = Object.values(collections)
    .filter((c) => !collection || c.path === collection)
    .map((c) => c.entity)
  if (entities.length === 0) return { items: [], nextCursor: null }
  const params = table
    .build(QueryCommand)
    .entities(...entities)
    .query({ index: 'gsi1', partition: tenantKey(session.tenantId, TAG.bin) })
    .options({
      limit,
      reverse: true,
      exclusiveStartKey: decodeCursor(cursor, session.tenantId),
      filters: Object.fromEntries(
        entities.map((e) => [
          e.entityName,
          all(!seesAll(session) && { attr: 'deletedBy', eq: session.userId }),
        ]),
      ),
    })
    .params()
  const page = await readPage(params, { limit })
  // raw items: the entity's name is in the attribute toolbox saves it as
  const items = (page.items as StoredRecord[]).map((record) => {
    const entity = record[table.entityAttributeSavedAs] as string
    return {
      collection: entity,
      id: record.id,
      label: collections[entity].label(record),
      deletedAt: record.deletedAt!,
      deletedBy: record.deletedBy!,
    }
  })
  return { items, nextCursor: page.nextCursor }
}

/** Brings a record back as it was, with its links (they were never removed). */
export async function restore(session: Session, collectionPath: string, id: string): Promise<unknown> {
  const collection = collections[collectionPath]
  if (!collection) throw notFound('collection', `没有名为 ${collectionPath} 的数据类型`)
  const restored = await restoreRecord(collection, session, id, (record) => {
    if (!seesAll(session) && record.deletedBy !== session.userId) throw forbidden('只能恢复自己删除的记录')
  })
  return z.encode(collection.schema, restored)
}
