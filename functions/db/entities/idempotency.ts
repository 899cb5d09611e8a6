import { Entity } from 'dynamodb-toolbox/entity'
import { item } from 'dynamodb-toolbox/schema/item'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { table } from '../table.js'
import { tenantKey, TAG } from './record.js'

/**
 * The remembered outcome of a POST sent with `Idempotency-Key`, written in the same transaction as the
 * change it describes, so a retry can never apply the change twice. Expires (TTL) after 48 h.
 */
export const IdempotencyEntity = new Entity({
  name: 'idempotency',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    userId: string().key(),
    key: string().key(),
    statusCode: number(),
    /** the method and path the key was first sent to (older items have none) */
    request: string().optional(),
    /** the verb's result, JSON */
    result: string(),
    expiresAt: number(),
  }),
  computeKey: ({ tenantId, userId, key }) => ({
    pk: tenantKey(tenantId, TAG.idempotency, userId, key),
    sk: '#',
  }),
})
