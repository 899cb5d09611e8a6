/**
 * `npm run reindex [tenantId | --all]`: brings a table written by an older version up to the index
 * entries and keys the domain writes now, for one tenant (default: the app's corp, DINGTALK_CORP_ID) or
 * every registered tenant, wherever the AWS SDK points (`AWS_*`, `TABLE_NAME`). For each live customer,
 * contact and lead it puts the search entries (one per position of the name) and, for a customer, its
 * collaborators' links (gsi2 and gsi3 keys), for a reminder its assignees' entries (mine by due time),
 * and deletes the record's old per-bigram search entries; for each live customer, contact, lead and
 * reminder it sets the record's index keys (reminders: gsi2 by record; leads: gsi3 open) when they differ. Everything it writes is computed by the domain's own code (the collection's
 * `sideWrites` on creation, `withIndexKeys`), so it writes nothing the verbs would not; every step is
 * idempotent, so a run that stops half-way is resumed by running it again.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb'
import { $remove, isConditionCheckFailed, UpdateItemCommand } from 'dynamodb-toolbox/entity/actions/update'
import { pathToFileURL } from 'node:url'
import { config } from '../functions/core/config.js'
import { getDocumentClient } from '../functions/db/client.js'
import { type Collection, type StoredRecord, withIndexKeys } from '../functions/db/collection.js'
import { TAG, tenantKey } from '../functions/db/entities/record.js'
import { queryPages } from '../functions/db/pages.js'
import { Contacts } from '../functions/domain/contacts/record.js'
import { Customers } from '../functions/domain/customers/index.js'
import { Leads } from '../functions/domain/leads/record.js'
import { Reminders } from '../functions/domain/reminders/index.js'
import { positions } from '../functions/domain/search/entries.js'
import { listTenants } from '../functions/domain/directory/tenants.js'

type Item = Record<string, unknown>
type Key = { pk: string; sk: string }

/** The collections whose records keep entries, and the kinds of entry this script rewrites. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const REINDEXED: [Collection<any>, string[]][] = [
  [Customers, ['search', 'collaborator']],
  [Contacts, ['search']],
  [Leads, ['search']],
  [Reminders, ['assignee']],
]

const INDEX_ATTRIBUTES = ['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'altsk'] as const

/** The live records of a collection, a page (1 MB) at a time: its gsi1 list, one Query a page. */
const liveRecords = (collection: Collection, tenantId: string) =>
  queryPages<StoredRecord>(collection.entity, {
    index: 'gsi1',
    partition: tenantKey(tenantId, collection.tag),
  })

/**
 * The entries of these kinds a record keeps, as the items the domain puts when the record is created:
 * the Puts among its collection's `sideWrites` (counters are updates and are left alone).
 */
function domainEntries(collection: Collection, record: StoredRecord, kinds: string[]): Item[] {
  if (!kinds.length) return []
  return collection.sideWrites!(undefined, record).flatMap((write) => {
    const { Put } = write.action.params() as { Put?: { Item: Item } }
    return Put && kinds.includes(Put.Item.kind as string) ? [Put.Item] : []
  })
}

/**
 * The search entries of the format before the per-position one: one per distinct bigram of the name's
 * search text, in the bigram's partition, under the sort key `<TAG>#<id>` (the sort key the name and
 * phone entries still use). No domain code writes these any more, so their key is spelled out here.
 */
function legacyBigramKeys(collection: Collection, record: StoredRecord, entries: Item[]): Key[] {
  const norm = entries.find((e) => e.kind === 'search')?.norm as string | undefined
  if (norm === undefined) return []
  const grams = new Set(positions(norm, Number.MAX_SAFE_INTEGER).map((p) => p.gram))
  const sk = `${collection.tag}#${record.id}`
  return [...grams].map((gram) => ({ pk: tenantKey(record.tenantId, TAG.search, gram), sk }))
}

/** Puts and deletes, 25 a BatchWriteItem, unprocessed ones retried with a growing pause. */
async function batchWrite(puts: Item[], deletes: Key[]): Promise<void> {
  const requests = [
    ...puts.map((Item) => ({ PutRequest: { Item } })),
    ...deletes.map((Key) => ({ DeleteRequest: { Key } })),
  ]
  const tableName = config.tableName()
  for (let i = 0; i < requests.length; i += 25) {
    let pending: typeof requests = requests.slice(i, i + 25)
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 5000)))
      const { UnprocessedItems = {} } = await getDocumentClient().send(
        new BatchWriteCommand({ RequestItems: { [tableName]: pending } }),
      )
      pending = (UnprocessedItems[tableName] ?? []) as typeof requests
    }
  }
}

/**
 * Sets a record's index keys to the ones the domain gives it now, if they differ: an update of the keys
 * alone, only if the record is still at the version read (a write since then set them itself).
 */
async function fixIndexKeys(collection: Collection, record: StoredRecord): Promise<boolean> {
  const wanted = withIndexKeys(collection, record)
  const changed = INDEX_ATTRIBUTES.filter((name) => wanted[name] !== record[name])
  if (!changed.length) return false
  const keys = Object.fromEntries(changed.map((name) => [name, wanted[name] ?? $remove()]))
  try {
    await collection.entity
      .build(UpdateItemCommand)
      .item({ tenantId: record.tenantId, id: record.id, ...keys })
      .options({ condition: { attr: 'version', eq: record.version } })
      .send()
    return true
  } catch (error) {
    if (isConditionCheckFailed(error)) return false
    throw error
  }
}

export interface ReindexStats {
  records: number
  entries: number
  legacyDeleted: number
  keysFixed: number
}

/** Reindexes one tenant; see the top of this file. */
export async function reindexTenant(tenantId: string): Promise<ReindexStats> {
  const stats: ReindexStats = { records: 0, entries: 0, legacyDeleted: 0, keysFixed: 0 }
  for (const [collection, kinds] of REINDEXED) {
    for await (const page of liveRecords(collection, tenantId)) {
      const puts: Item[] = []
      const deletes: Key[] = []
      for (const record of page) {
        const entries = domainEntries(collection, record, kinds)
        puts.push(...entries)
        deletes.push(...legacyBigramKeys(collection, record, entries))
        if (await fixIndexKeys(collection, record)) stats.keysFixed += 1
      }
      await batchWrite(puts, deletes)
      stats.records += page.length
      stats.entries += puts.length
      stats.legacyDeleted += deletes.length
    }
  }
  return stats
}

/** The tenants to reindex: the one named, or with `--all` every tenant of the registry (gsi1 Query). */
async function tenantsToReindex(arg: string | undefined): Promise<string[]> {
  if (arg === '--all') return (await listTenants()).map((t) => t.tenantId)
  const tenantId = arg ?? config.corpId()
  return tenantId ? [tenantId] : []
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tenants = await tenantsToReindex(process.argv[2])
  if (!tenants.length) {
    console.error('usage: npm run reindex [<tenantId> | --all]  (default: DINGTALK_CORP_ID)')
    process.exit(2)
  }
  for (const tenantId of tenants) {
    const s = await reindexTenant(tenantId)
    console.log(
      `tenant ${tenantId}: ${s.records} records, ${s.entries} entries put, ` +
        `${s.legacyDeleted} old bigram keys deleted, ${s.keysFixed} records' index keys fixed`,
    )
  }
}
