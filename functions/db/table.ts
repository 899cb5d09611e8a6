import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import { Table } from 'dynamodb-toolbox/table'
import { config } from '../core/config.js'
import { getDocumentClient } from './client.js'

/**
 * The one table. Generic key names; every key value starts with `T#<tenantId>#` (see README.md for the
 * access patterns). GSIs:
 * - gsi1: the live list of a collection (`T#t#PRD` → id), or the recycle bin (`T#t#BIN` → deletedAt)
 * - gsi2, gsi3: secondary orderings a domain needs (by owner, by parent record, by due time...)
 * - gsi1alt, gsi2alt, gsi3alt: the same partitions as gsi1–3 in a second order, by `altsk` (sparse: only
 *   items that set it; customers: by last follow-up). A record changed by any write, even a blind ADD
 *   from another domain, stays right in them, which copies of the record kept beside it would not.
 */
/** A global index of two string keys (every index projects all attributes). */
const index = <P extends string, S extends string>(pk: P, sk: S) => ({
  type: 'global' as const,
  partitionKey: { name: pk, type: 'string' as const },
  sortKey: { name: sk, type: 'string' as const },
})

export const table = new Table({
  name: config.tableName,
  partitionKey: { name: 'pk', type: 'string' },
  sortKey: { name: 'sk', type: 'string' },
  indexes: {
    gsi1: index('gsi1pk', 'gsi1sk'),
    gsi2: index('gsi2pk', 'gsi2sk'),
    gsi3: index('gsi3pk', 'gsi3sk'),
    gsi1alt: index('gsi1pk', 'altsk'),
    gsi2alt: index('gsi2pk', 'altsk'),
    gsi3alt: index('gsi3pk', 'altsk'),
  },
})
// The client is made on first use, not at import, so the environment can be set first (tests, local).
table.getDocumentClient = getDocumentClient

/** CreateTable input derived from the toolbox definition above, so the table is described once. */
export function tableDefinition(tableName = config.tableName()): CreateTableCommandInput {
  const { partitionKey, sortKey, indexes } = table
  const attributes = new Set<string>([partitionKey.name, sortKey!.name])
  const GlobalSecondaryIndexes = Object.entries(indexes).map(([IndexName, index]) => {
    const { partitionKey: p, sortKey: s } = index as {
      partitionKey: { name: string }
      sortKey: { name: string }
    }
    attributes.add(p.name)
    attributes.add(s.name)
    return {
      IndexName,
      KeySchema: [
        { AttributeName: p.name, KeyType: 'HASH' as const },
        { AttributeName: s.name, KeyType: 'RANGE' as const },
      ],
      Projection: { ProjectionType: 'ALL' as const },
    }
  })
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: partitionKey.name, KeyType: 'HASH' },
      { AttributeName: sortKey!.name, KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    GlobalSecondaryIndexes,
  }
}

/** Attribute holding an epoch-seconds expiry (idempotency keys); DynamoDB's TTL deletes such items. */
export const TTL_ATTRIBUTE = 'expiresAt'
