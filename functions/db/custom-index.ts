import { BatchGetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'
import { type FieldCollection, filterKind, type SavedField } from '../../shared/schemas/fields.js'
import { config } from '../core/config.js'
import type { CustomCondition, CustomFilter, NewAttachment } from '../core/context.js'
import { cachedFields } from '../core/field-cache.js'
import { getDocumentClient } from './client.js'
import type { Collection, StoredRecord } from './collection.js'
import { encodeCursor } from './cursor.js'
import type { Write } from './commit.js'
import { deleteEntry, type Entry, entryDiff, putEntry } from './entries.js'
import { recordKey, tenantKey } from './entities/record.js'
import { matches } from './expression.js'

/**
 * 自定义字段 in the table: every custom value of a record has an entry in the record's item collection,
 * kept by the record's own transactions (a collection's `sideWrites`, wrapped by `withCustomEntries`):
 * - `#CF#<key>`: gsi3 `T#t#CF#<TAG>#<key>` → `<sortable value>#<id>` (number, money, date, date-time) or
 *   `<id>`: a range filter reads a slice of it; any entry at all means the field holds values (a type
 *   change is refused then);
 * - `#CFV#<key>#<value>` (choice, multiple choice, yes/no, person, department): gsi2
 *   `T#t#CFV#<TAG>#<key>#<value>` → `<id>`: the records holding that value, newest first;
 * - and for each attachment a record holds (`attachments`, custom attachment fields), `T#t#ATT#<att>`,
 *   `HELD#<TAG>#<id>`: who may read the attachment (the Put of one the record did not hold carries it:
 *   `commit` checks the caller may read it first).
 * Entries stay while the record is in the recycle bin (it comes back with them). Which entries a value
 * gets depends on its field's type: the definitions come from the instance's copy, which every request
 * reads before it writes (functions/core/field-cache.ts).
 */

const fieldsOf = (tenantId: string, path: string): SavedField[] | undefined =>
  cachedFields(tenantId)?.collections[path as FieldCollection]

const OFFSET = 10n ** 17n
/** A number as a string that sorts as the number does (money: fen; numbers to 4 decimals). */
const sortableNumber = (n: number, scale: number) =>
  (BigInt(Math.round(n * scale)) + OFFSET).toString().padStart(19, '0')

/** A value of a range field in its index form (undefined: not such a value). */
export function sortable(type: SavedField['type'], value: unknown): string | undefined {
  if (type === 'money' && typeof value === 'number') return sortableNumber(value, 1)
  if (type === 'number' && typeof value === 'number') return sortableNumber(value, 1e4)
  if (type === 'date' && typeof value === 'string') return value
  if (type === 'datetime' && typeof value === 'string') {
    const at = new Date(value)
    return Number.isNaN(at.getTime()) ? undefined : at.toISOString()
  }
  return undefined
}

const valuesOf = (value: unknown): string[] =>
  (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined).map(String)

/** The attachments a record holds, each where it first holds it (`['attachments', 0]`, `['custom', key, 0]`). */
export function heldAttachments(collection: Collection, record: StoredRecord): Map<string, NewAttachment> {
  const fields = fieldsOf(record.tenantId, collection.path)
  const held = new Map<string, NewAttachment>()
  const add = (value: unknown, path: (string | number)[]) =>
    valuesOf(value).forEach((id, i) => held.has(id) || held.set(id, { id, path: [...path, i] }))
  add(record.attachments, ['attachments'])
  for (const [key, value] of Object.entries((record.custom as Record<string, unknown>) ?? {})) {
    if (fields?.find((f) => f.key === key)?.type === 'attachments') add(value, ['custom', key])
  }
  return held
}

/** The holder entry of an attachment a record holds: `T#t#ATT#<att>`, `HELD#<TAG>#<id>`. */
const holderEntry = (collection: Collection, record: StoredRecord, attachmentId: string): Entry => ({
  pk: tenantKey(record.tenantId, 'ATT', attachmentId),
  sk: `HELD#${collection.tag}#${record.id}`,
  tenantId: record.tenantId,
  kind: 'attachment',
  recordType: collection.path,
  recordId: record.id,
})

/** The entries a record keeps for its custom values (its attachments' holder entries: `heldAttachments`). */
export function customEntries(collection: Collection, record: StoredRecord): Entry[] {
  const { tenantId, id } = record
  const { pk } = recordKey(collection.tag)({ tenantId, id })
  const fields = fieldsOf(tenantId, collection.path)
  const entries: Entry[] = []
  for (const [key, value] of Object.entries((record.custom as Record<string, unknown>) ?? {})) {
    if (value === null || value === undefined) continue
    const field = fields?.find((f) => f.key === key)
    const kind = field && filterKind(field.type)
    const order = kind === 'range' ? sortable(field!.type, value) : undefined
    entries.push({
      pk,
      sk: `#CF#${key}`,
      tenantId,
      kind: 'custom',
      recordId: id,
      gsi3pk: tenantKey(tenantId, 'CF', collection.tag, key),
      gsi3sk: order ? `${order}#${id}` : id,
    })
    if (kind === 'value') {
      for (const one of valuesOf(value)) {
        entries.push({
          pk,
          sk: `#CFV#${key}#${one}`,
          tenantId,
          kind: 'custom',
          recordId: id,
          gsi2pk: tenantKey(tenantId, 'CFV', collection.tag, key, one),
          gsi2sk: id,
        })
      }
    }
  }
  return entries
}

/** A patch's custom values over the record's: a `null` clears one, the others stay. */
export function mergeCustom(
  current: Record<string, unknown> | undefined,
  patch: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  if (!patch) return current
  const next = Object.fromEntries(
    Object.entries({ ...current, ...patch }).filter(([, v]) => v !== null && v !== undefined),
  )
  return Object.keys(next).length ? next : undefined
}

/**
 * The writes that move a record's custom entries and attachment holder entries from its state `before`
 * (none: a create) to `after`. The Put of an attachment the record did not hold carries it
 * (`Write.attachment`): `commit` checks the caller may read it.
 */
export function customEntryWrites(
  collection: Collection,
  before: StoredRecord | undefined,
  after: StoredRecord,
): Write[] {
  const writes = entryDiff(before ? customEntries(collection, before) : [], customEntries(collection, after))
  const had = before ? heldAttachments(collection, before) : new Map<string, NewAttachment>()
  const has = heldAttachments(collection, after)
  for (const id of had.keys())
    if (!has.has(id)) writes.push(deleteEntry(holderEntry(collection, before!, id)))
  for (const [id, attachment] of has) {
    if (!had.has(id)) writes.push({ ...putEntry(holderEntry(collection, after, id)), attachment })
  }
  return writes
}

/** A collection whose side writes also keep its custom entries (`defineCollection`, `defineChild`). */
export function withCustomEntries<C extends Collection>(collection: C): C {
  const own = collection.sideWrites
  return {
    ...collection,
    sideWrites: (before: StoredRecord | undefined, after: StoredRecord) => [
      ...(own?.call(collection, before as never, after as never) ?? []),
      ...customEntryWrites(collection, before, after),
    ],
  }
}

/** Does any record (live or in the recycle bin) hold a value of the field? One Query, one item. */
export async function fieldHasValues(tenantId: string, tag: string, key: string): Promise<boolean> {
  const { Items = [] } = await getDocumentClient().send(
    new QueryCommand({
      TableName: config.tableName(),
      IndexName: 'gsi3',
      KeyConditionExpression: 'gsi3pk = :p',
      ExpressionAttributeValues: { ':p': tenantKey(tenantId, 'CF', tag, key) },
      Limit: 1,
    }),
  )
  return Items.length > 0
}

// ---------------------------------------------------------------- a list page read through the index

type Item = Record<string, unknown>

/** Does the record's value satisfy the condition (read from the record itself, not the entry)? */
function holds(record: Item, condition: CustomCondition): boolean {
  const value = (record.custom as Item | undefined)?.[condition.key]
  if (value === undefined || value === null) return false
  if ('value' in condition) return valuesOf(value).includes(condition.value)
  const order = sortable(condition.type, value)
  if (order === undefined) return false
  return (
    (condition.from === undefined || order >= condition.from) &&
    (condition.to === undefined || order <= condition.to)
  )
}

/** Is this list Query one of the filtered collection's (its entity's filter names it)? */
export const readsCollection = (filter: CustomFilter, params: QueryCommandInput) =>
  Object.values(params.ExpressionAttributeValues ?? {}).includes(filter.entity)

const MAX_READ = 100

/**
 * One list page under custom-field filters: the first condition's index partition (gsi2 for a value,
 * gsi3 for a range) gives the candidates' ids, newest first (a range: greatest first), one BatchGetItem
 * reads them, and each is kept if the list's own Query would have answered it (its key condition and
 * filter, evaluated on the record: the caller's scope, the other filters) and every condition holds. A
 * page is one Query and one BatchGetItem while candidates match; at most `reads` rounds.
 */
export async function customFilteredPage(
  filter: CustomFilter,
  params: QueryCommandInput,
  {
    limit,
    reads,
    listKey,
  }: {
    limit: number
    reads: number
    /** the key of a record in the list's own index (the cursor carries it, as the list's own would) */
    listKey: (record: Item) => Item
  },
): Promise<{ items: Item[]; nextCursor: string | null }> {
  const [first] = filter.conditions
  const { tenantId } = filter
  const query: QueryCommandInput =
    'value' in first
      ? {
          TableName: config.tableName(),
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p',
          ExpressionAttributeValues: { ':p': tenantKey(tenantId, 'CFV', filter.tag, first.key, first.value) },
        }
      : {
          TableName: config.tableName(),
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :p AND gsi3sk BETWEEN :a AND :b',
          ExpressionAttributeValues: {
            ':p': tenantKey(tenantId, 'CF', filter.tag, first.key),
            ':a': first.from ?? '',
            ':b': `${first.to ?? '\uffff'}#\uffff`,
          },
        }
  const items: Item[] = []
  // the cursor: the list's own key at the last record answered, and where the index read stopped (`cf`)
  const cursorAt = (record: Item | undefined, stop: Item | undefined) =>
    stop ? encodeCursor({ ...(record ? listKey(record) : {}), cf: JSON.stringify(stop) }) : null
  const resume = params.ExclusiveStartKey?.cf
  let start = typeof resume === 'string' ? (JSON.parse(resume) as Item) : undefined
  let readLimit = Math.min(MAX_READ, limit)
  for (let read = 1; ; read++) {
    const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(
      new QueryCommand({ ...query, ScanIndexForward: false, Limit: readLimit, ExclusiveStartKey: start }),
    )
    const records = await recordsByIds(
      tenantId,
      filter.tag,
      Items.map((e) => e.recordId as string),
    )
    for (const [i, entry] of Items.entries()) {
      const record = records.get(entry.recordId as string)
      if (!record) continue
      const names = params.ExpressionAttributeNames
      const values = params.ExpressionAttributeValues
      if (!matches(params.KeyConditionExpression, record, names, values)) continue
      if (!matches(params.FilterExpression, record, names, values)) continue
      if (!filter.conditions.every((c) => holds(record, c))) continue
      items.push(record)
      if (items.length < limit) continue
      const more = i < Items.length - 1 || LastEvaluatedKey
      return { items, nextCursor: more ? cursorAt(record, entryKey(entry, query.IndexName!)) : null }
    }
    if (!LastEvaluatedKey || read >= reads) {
      return { items, nextCursor: cursorAt(items.at(-1) ?? Items.at(-1), LastEvaluatedKey) }
    }
    start = LastEvaluatedKey
    readLimit = MAX_READ
  }
}

const entryKey = (entry: Item, index: string) =>
  Object.fromEntries(['pk', 'sk', `${index}pk`, `${index}sk`].map((name) => [name, entry[name]]))

/** Records by id, one BatchGetItem (≤ 100 keys; unprocessed keys asked again). */
async function recordsByIds(tenantId: string, tag: string, ids: string[]): Promise<Map<string, Item>> {
  const found = new Map<string, Item>()
  let keys = [...new Set(ids)].map((id) => recordKey(tag)({ tenantId, id }))
  const tableName = config.tableName()
  while (keys.length) {
    const { Responses = {}, UnprocessedKeys = {} } = await getDocumentClient().send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys } } }),
    )
    for (const item of Responses[tableName] ?? []) found.set(item.id as string, item)
    keys = (UnprocessedKeys[tableName]?.Keys as typeof keys | undefined) ?? []
  }
  return found
}
