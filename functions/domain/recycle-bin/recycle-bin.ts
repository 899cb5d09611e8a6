import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import * as z from 'zod'
import type { BinEntry, Page } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { forbidden, notFound } from '../../core/errors.js'
import { isCollection, nouns } from '../../../shared/nouns.js'
import type { Collection, StoredRecord } from '../../db/collection.js'
import { CustomerEntity } from '../../db/entities/lifecycle.js'
import { decodeCursor } from '../../db/cursor.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all } from '../../db/filter.js'
import { readPage } from '../../db/pages.js'
import { restoreRecord } from '../../db/records.js'
import { table } from '../../db/table.js'
import { activityWrites, audienceOf } from '../activity/activity.js'
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
  const restored = await restoreRecord(
    collection,
    session,
    id,
    (record) => {
      if (!seesAll(session) && record.deletedBy !== session.userId) throw forbidden('只能恢复自己删除的记录')
    },
    (record) => restoredActivity(session, collection, record),
  )
  return z.encode(collection.schema, restored)
}

/** What a restorable record may hold: who it is for, what it hangs under. */
interface Held extends StoredRecord {
  ownerId?: string
  assigneeId?: string
  collaboratorIds?: string[]
  deptId?: string
  customerId?: string
  contractId?: string
}

/**
 * 「从回收站恢复了…」 on the record's 动态 and on the timelines above it (its contract's, its customer's),
 * in the feed of whoever holds it and its customer (one GetItem of the customer, for a record under one).
 */
async function restoredActivity(session: Session, collection: Collection, stored: StoredRecord) {
  const record = stored as Held
  if (!isCollection(collection.path) || !nouns[collection.path].timeline) return []
  const customerId = collection.tag === TAG.customer ? undefined : record.customerId
  const customer = customerId
    ? (await CustomerEntity.build(GetItemCommand).key({ tenantId: session.tenantId, id: customerId }).send())
        .Item
    : undefined
  const noun = nouns[collection.path].label
  const label = collection.label(record)
  // a label may start with its noun (the recycle bin's 「回款 2026-11-02 ¥300」): said once
  const shown = label.startsWith(`${noun} `) ? label.slice(noun.length + 1) : label
  const holder = {
    ownerId: record.ownerId ?? record.assigneeId ?? (customerId ? record.createdBy : undefined),
    collaboratorIds: record.collaboratorIds,
    deptId: record.deptId,
  }
  return activityWrites(session, {
    timeline: { tag: collection.tag, id: record.id },
    alsoOn: [
      ...(record.contractId ? [{ tag: TAG.contract, id: record.contractId }] : []),
      ...(customerId ? [{ tag: TAG.customer, id: customerId }] : []),
    ],
    audience: audienceOf(holder, customer),
    recordType: collection.path,
    recordId: record.id,
    action: 'restored',
    summary: `从回收站恢复了${noun}「${shown}」`,
  })
}
