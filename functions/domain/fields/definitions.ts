import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { $add } from 'dynamodb-toolbox/entity/actions/update/symbols'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { randomInt } from 'node:crypto'
import type * as z from 'zod'
import {
  type AllFields,
  BUILT_IN_FIELDS,
  type CollectionFields,
  FieldCollection,
  type FieldsInput,
  FIXED_CHOICES,
  type SavedField,
} from '../../../shared/schemas/fields.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { AppError, unprocessable } from '../../core/errors.js'
import { cachedFields, freshFields, keepFields } from '../../core/field-cache.js'
import { commit } from '../../db/commit.js'
import { fieldsPartition, FieldSettingsEntity } from '../../db/entities/fields.js'
import { TENANT_REGISTRY, TenantEntity } from '../../db/entities/scheduler.js'
import { table } from '../../db/table.js'
import { apart } from '../directory/sessions.js'
import { fieldHasValues } from './index-entries.js'

/**
 * 字段管理: a tenant's field definitions, one versioned item per collection (`T#t#SET#fields`, sk = the
 * collection), all read with one Query and kept per warm instance (core/field-cache.ts) until the
 * tenant's `fieldsVersion` moves. A collection never saved answers its built-in fields at version 0.
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
const newKey = () => Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')

/** The saved list over the built-in defaults: a built-in field keeps its key and type, never goes away. */
function merged(collection: FieldCollection, saved: SavedField[] = []): SavedField[] {
  const stored = new Map(saved.map((f) => [f.key, f]))
  const builtIns = BUILT_IN_FIELDS[collection].map((field) => {
    const edit = stored.get(field.key)
    return edit
      ? { ...field, ...edit, key: field.key, type: field.type, builtIn: true, removed: false }
      : field
  })
  return [...builtIns, ...saved.filter((f) => !f.builtIn)].sort((a, b) => a.order - b.order)
}

/** Every collection's fields, read now: one Query of the tenant's definitions partition. */
async function readAll(tenantId: string): Promise<AllFields & { versions: Record<string, number> }> {
  const { Items = [] } = await table
    .build(QueryCommand)
    .entities(FieldSettingsEntity)
    .query({ partition: fieldsPartition(tenantId) })
    .options({ consistent: true })
    .send()
  const byCollection = new Map(Items.map((item) => [item.collection, item]))
  const versions: Record<string, number> = {}
  let version = 0
  const collections = Object.fromEntries(
    FieldCollection.options.map((name) => {
      const item = byCollection.get(name)
      versions[name] = item?.version ?? 0
      version += item?.version ?? 0
      return [name, merged(name, item?.fields as SavedField[] | undefined)]
    }),
  ) as AllFields['collections']
  // the tenant's fieldsVersion counts every save, as the collections' versions add up
  return { version, collections, versions }
}

const versionsOf = new WeakMap<AllFields, Record<string, number>>()

/**
 * The tenant's definitions: the warm copy while its version is the tenant's (no DynamoDB call), else one
 * Query. Every request that may read or write custom values asks this first.
 */
export async function tenantFields(tenantId: string): Promise<AllFields> {
  const fresh = freshFields(tenantId)
  if (fresh) return fresh
  const { versions, ...all } = await apart(() => readAll(tenantId))
  versionsOf.set(all, versions)
  keepFields(tenantId, all)
  return all
}

/** One collection's fields (built-in and custom, removed ones too). */
/** A collection's fields; one that takes no custom fields (销售目标) has none. */
export const collectionFields = async (tenantId: string, collection: string): Promise<SavedField[]> =>
  FieldCollection.safeParse(collection).success
    ? (await tenantFields(tenantId)).collections[collection as FieldCollection]
    : []

/** `GET /api/settings/fields/{collection}`: the fields and the collection's own version. */
export async function getCollectionFields(
  tenantId: string,
  collection: FieldCollection,
): Promise<CollectionFields> {
  const all = await tenantFields(tenantId)
  return { version: versionsOf.get(all)?.[collection] ?? 0, fields: all.collections[collection] }
}

const stale = () => new AppError(409, 'version.conflict', '字段设置已被他人修改，请刷新后重试')
const invalid = (index: number, path: string, message: string) =>
  new AppError(400, 'validation.failed', message, [{ path: ['fields', index, path], message }])

/**
 * `PUT /api/settings/fields/{collection}` (admin): the whole list against the version the admin loaded
 * (409 when someone saved since). A new custom field gets its key (`cf_` + 8); a built-in one keeps key
 * and type and stays; a fixed built-in choice list takes no new values; a custom field left out is kept
 * as removed (a hide: its values stay and return with it); a type change is refused while records hold
 * values of the field (422).
 */
export async function putCollectionFields(
  session: Session,
  collection: FieldCollection,
  { version, fields }: z.output<typeof FieldsInput>,
): Promise<CollectionFields> {
  const current = await readAll(session.tenantId)
  const currentVersion = current.versions[collection] ?? 0
  if (version !== currentVersion) throw stale()
  const known = new Map(current.collections[collection].map((f) => [f.key, f]))
  const builtIns = new Map(BUILT_IN_FIELDS[collection].map((f) => [f.key, f]))
  const next: SavedField[] = []
  for (const [index, field] of fields.entries()) {
    const base = field.key ? known.get(field.key) : undefined
    if (field.key && !base) throw invalid(index, 'key', `字段 ${field.key} 不存在`)
    if (base?.builtIn || field.builtIn) {
      if (!base?.builtIn) throw invalid(index, 'builtIn', `「${field.label}」不是系统字段`)
      if (field.type !== base.type) throw invalid(index, 'type', `系统字段「${base.label}」不能修改类型`)
      const fixed = FIXED_CHOICES[collection]?.includes(base.key)
      const allowed = new Set(builtIns.get(base.key)?.options?.map((o) => o.value))
      const added = field.options?.find((o) => !allowed.has(o.value))
      if (fixed && added) {
        throw invalid(index, 'options', `「${base.label}」的选项是系统固定的，只能改名、排序或停用`)
      }
      next.push({ ...base, ...field, key: base.key, builtIn: true, removed: false } as SavedField)
      continue
    }
    if (base && base.type !== field.type && (await fieldHasValues(session.tenantId, collection, base.key))) {
      throw unprocessable('field.type_locked', `「${base.label}」已有数据，不能修改字段类型`)
    }
    next.push({ ...field, key: base?.key ?? `cf_${newKey()}` } as SavedField)
  }
  // what the list leaves out: built-in ones stay as they were, custom ones are hidden
  const sent = new Set(next.map((f) => f.key))
  for (const field of known.values()) {
    if (sent.has(field.key)) continue
    if (!field.builtIn) next.push({ ...field, removed: true })
  }
  const saved = next.filter((f) => !f.builtIn || builtIns.has(f.key))
  await commit([
    {
      action: FieldSettingsEntity.build(PutTransaction)
        .item({
          tenantId: session.tenantId,
          collection,
          fields: saved,
          version: currentVersion + 1,
          updatedAt: nowIso(),
          updatedBy: session.userId,
        })
        .options({
          condition: currentVersion
            ? { attr: 'version', eq: currentVersion }
            : { attr: 'version', exists: false },
        }),
      onConditionFail: stale,
    },
    // warm instances see the move on their next session check and drop their copies
    {
      action: TenantEntity.build(UpdateTransaction).item({
        tenantId: session.tenantId,
        gsi1pk: TENANT_REGISTRY,
        gsi1sk: session.tenantId,
        fieldsVersion: $add(1),
      }),
    },
  ])
  const all = {
    version: current.version + 1,
    collections: { ...current.collections, [collection]: merged(collection, saved) },
  }
  versionsOf.set(all, { ...current.versions, [collection]: currentVersion + 1 })
  keepFields(session.tenantId, all)
  return { version: currentVersion + 1, fields: all.collections[collection] }
}

/** The copy this instance holds, for writes that index custom values (no read: undefined if none). */
export const heldFields = cachedFields
