import { Entity } from 'dynamodb-toolbox/entity'
import { any } from 'dynamodb-toolbox/schema/any'
import { item } from 'dynamodb-toolbox/schema/item'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { table } from '../table.js'
import { tenantKey, TAG } from './record.js'

/** The partition of a tenant's field definitions: one item per collection, read with one Query. */
export const fieldsPartition = (tenantId: string) => tenantKey(tenantId, TAG.setting, 'fields')

/** 字段管理: one collection's field definitions (`T#t#SET#fields`, sk = the collection), versioned. */
export const FieldSettingsEntity = new Entity({
  name: 'fieldSettings',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    collection: string().key(),
    /** SavedField[]: the built-in fields as edited and the custom ones, removed ones kept */
    fields: any(),
    version: number(),
    updatedAt: string(),
    updatedBy: string(),
  }),
  computeKey: ({ tenantId, collection }: { tenantId: string; collection: string }) => ({
    pk: fieldsPartition(tenantId),
    sk: collection,
  }),
})

/**
 * 附件: one uploaded (or about to be) object, `T#t#ATT#<id>`. The object's key in the store starts with
 * the tenant (`<tenantId>/attachments/<id>/<name>`). Who may read it: whoever sees a record that holds it.
 */
export const AttachmentEntity = new Entity({
  name: 'attachments',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    id: string().key(),
    objectKey: string(),
    fileName: string(),
    contentType: string(),
    size: number(),
    createdBy: string(),
    createdAt: string(),
    /** the records holding it (`<collection>#<id>`), kept by their writes */
    heldBy: any().optional(),
  }),
  computeKey: ({ tenantId, id }: { tenantId: string; id: string }) => ({
    pk: tenantKey(tenantId, 'ATT', id),
    sk: '#',
  }),
})
