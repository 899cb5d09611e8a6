/**
 * `npm run reindex [tenantId | --all]`: brings a table written by an older version up to the index
 * entries, keys and counters the domain writes now, for one tenant (default: the app's corp,
 * DINGTALK_CORP_ID) or every registered tenant, wherever the AWS SDK points (`AWS_*`, `TABLE_NAME`):
 * - for each live customer, contact, lead, opportunity and contract, its search entries (postings four to
 *   an item: core-name bigrams, the core name, 4-digit phone windows) and, for a customer, its
 *   collaborators' links and its recycle clocks (one item, `#RECYCLE`); for a reminder its assignees'
 *   entries; it deletes the entries of the older formats (one per position of the whole name, one per
 *   bigram, `N#<name>` and `P#<number>`; a recycle clock per kind, `#RECYCLE#FUP` / `#RECYCLE#WON`);
 * - the record's index keys (reminders: gsi2 by record; leads: gsi3 open) when they differ;
 * - the customers' name counters (`CUS#N#<core>`) where the core of a name moved (省/市/区, 有限公司 inside);
 * - the report counters, once, when counters of an older layout (an item per day or month and metric;
 *   a month item per subject) are there: recomputed from the records as cells of the owners' month
 *   items (`reports:rebuild`).
 * Everything it writes is computed by the domain's own code (the collection's `sideWrites` on creation,
 * `withIndexKeys`, `counterItems`), so it writes nothing the verbs would not; every step is idempotent,
 * so a run that stops half-way is resumed by running it again, and a table the current version wrote is
 * left as it is.
 */
import { BatchWriteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
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
import { counterItems, readCounters } from '../functions/db/counters.js'
import {
  type ContractRecord,
  Contracts,
  legacyContractEntries,
} from '../functions/domain/contracts/record.js'
import { Opportunities } from '../functions/domain/opportunities/record.js'
import {
  nameCounter,
  normalizeName,
  positions,
  searchEntries,
  searchText,
} from '../functions/domain/search/entries.js'
import { rebuildReportCounters } from '../functions/domain/stats/rebuild.js'
import { listTenants } from '../functions/domain/directory/tenants.js'

type Item = Record<string, unknown>
type Key = { pk: string; sk: string }

/** The collections whose records keep entries, and the kinds of entry this script rewrites. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const REINDEXED: [Collection<any>, string[]][] = [
  [Customers, ['search', 'collaborator', 'recycle']],
  [Contacts, ['search']],
  [Leads, ['search']],
  [Opportunities, ['search']],
  [Contracts, ['search']],
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

/** The company-form suffixes and normalized name of the formats before this one (kept here only). */
const LEGACY_SUFFIXES = ['股份有限公司', '有限责任公司', '集团有限公司', '有限公司', '集团', '公司']
const LEGACY_LATIN = ['coltd', 'ltd', 'limited', 'inc', 'corporation', 'corp', 'co']
function legacyCore(name: string): string {
  let core = searchText(name.normalize('NFKC').replace(/\(\s*中国\s*\)/g, ''))
  for (let stripped = true; stripped;) {
    stripped = false
    for (const suffix of [...LEGACY_SUFFIXES, ...LEGACY_LATIN]) {
      if (core.endsWith(suffix) && core.length > suffix.length) {
        core = core.slice(0, -suffix.length)
        stripped = true
      }
    }
  }
  return core
}

/** What a record's search entries were made of: its name, its 查重 company, its numbers. */
function searchSource(collection: Collection, r: StoredRecord) {
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined)
  if (collection === Leads)
    return { name: String(r.title), company: text(r.companyName), phones: [text(r.contactInfo)] }
  if (collection === Contacts) return { name: String(r.name), phones: [text(r.mobile), text(r.officePhone)] }
  if (collection === Customers) return { name: String(r.name), phones: [text(r.phone)] }
  return undefined
}

/**
 * The keys of the search entries of the formats before this one: one per position of the whole name's
 * search text (`<rest>#<TAG>#<id>`) and one per distinct bigram (`<TAG>#<id>`), the normalized name
 * (`N#<core>`) and each number whole (`P#<digits>`). No domain code writes these any more, so their
 * keys are spelled out here.
 */
function legacySearchKeys(collection: Collection, record: StoredRecord): Key[] {
  const source = searchSource(collection, record)
  if (!source) return []
  const t = record.tenantId
  const tail = `${collection.tag}#${record.id}`
  const norm = searchText(source.name)
  const keys: Key[] = positions(norm).map(({ gram, rest }) => ({
    pk: tenantKey(t, TAG.search, gram),
    sk: `${rest}#${tail}`,
  }))
  for (const { gram } of positions(norm, Number.MAX_SAFE_INTEGER))
    keys.push({ pk: tenantKey(t, TAG.search, gram), sk: tail })
  const core = legacyCore(source.company ?? source.name)
  if (core) keys.push({ pk: tenantKey(t, TAG.search, 'N', core), sk: tail })
  for (const phone of source.phones)
    if (phone) keys.push({ pk: tenantKey(t, TAG.search, 'P', phone), sk: tail })
  return keys
}

/**
 * The table keys of the search entries of the format before this one (every record's postings packed
 * from its first, a posting under `N#<core>` for every company; a contract's not on its number guard).
 */
function previousSearchKeys(collection: Collection, record: StoredRecord): Key[] {
  const type = (
    { [Customers.path]: 'customers', [Contacts.path]: 'contacts', [Leads.path]: 'leads' } as const
  )[collection.path]
  const source = searchSource(collection, record)
  const entries =
    collection === Contracts
      ? legacyContractEntries(record as ContractRecord)
      : type && source
        ? searchEntries(
            record.tenantId,
            type,
            { id: record.id, ...source, custom: record.custom as Record<string, unknown> | undefined },
            { legacy: true },
          )
        : []
  return entries.map(({ pk, sk }) => ({ pk, sk }))
}

/** A customer's recycle clocks of the format before one item held both (`#RECYCLE#FUP`, `#RECYCLE#WON`). */
const legacyClockKeys = (collection: Collection, record: StoredRecord): Key[] =>
  collection === Customers
    ? ['FUP', 'WON'].map((kind) => ({
        pk: tenantKey(record.tenantId, TAG.customer, record.id),
        sk: `#RECYCLE#${kind}`,
      }))
    : []

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
  /** name counters set to what the live customers make them */
  nameCounters: number
  /** report counters of the older layout found and rebuilt */
  reportsRebuilt: boolean
}

/** Reindexes one tenant; see the top of this file. */
export async function reindexTenant(tenantId: string): Promise<ReindexStats> {
  const stats: ReindexStats = {
    records: 0,
    entries: 0,
    legacyDeleted: 0,
    keysFixed: 0,
    nameCounters: 0,
    reportsRebuilt: false,
  }
  for (const [collection, kinds] of REINDEXED) {
    for await (const page of liveRecords(collection, tenantId)) {
      const puts: Item[] = []
      const deletes: Key[] = []
      for (const record of page) {
        const entries = domainEntries(collection, record, kinds)
        const kept = new Set(entries.map((e) => `${e.pk}\u0000${e.sk}`))
        const old = [
          ...legacySearchKeys(collection, record),
          ...previousSearchKeys(collection, record),
          ...legacyClockKeys(collection, record),
        ].filter((k) => !kept.has(`${k.pk}\u0000${k.sk}`))
        puts.push(...entries)
        deletes.push(...old)
        if (await fixIndexKeys(collection, record)) stats.keysFixed += 1
      }
      await batchWrite(puts, deletes)
      stats.records += page.length
      stats.entries += puts.length
      stats.legacyDeleted += deletes.length
    }
  }
  stats.nameCounters = await fixNameCounters(tenantId)
  stats.reportsRebuilt = await migrateReportCounters(tenantId)
  return stats
}

/**
 * The customers' name counters (`CUS#N#<core>`, the unique-name guard and 查重's "named inside") as the
 * live customers make them now, where a name's core moved: the counter of its new core set to the
 * customers that have it, the one of its old core too (0: deleted).
 */
async function fixNameCounters(tenantId: string): Promise<number> {
  const now = new Map<string, number>()
  const old = new Set<string>()
  for await (const page of liveRecords(Customers, tenantId)) {
    for (const c of page) {
      const core = normalizeName(String(c.name))
      now.set(core, (now.get(core) ?? 0) + 1)
      const before = legacyCore(String(c.name))
      if (before && before !== core) old.add(before)
    }
  }
  const names = [...new Set([...now.keys(), ...old])].map(nameCounter)
  const current = await readCounters(tenantId, names)
  const wrong = names.filter((name) => current[name] !== (now.get(name.slice(nameCounter('').length)) ?? 0))
  const counts = wrong.map((name) => ({
    counter: { name },
    count: now.get(name.slice(nameCounter('').length)) ?? 0,
  }))
  const puts = counterItems(
    tenantId,
    counts.filter((c) => c.count > 0),
  )
  const deletes = counterItems(
    tenantId,
    counts.filter((c) => c.count === 0),
  ).map(({ pk, sk }) => ({ pk, sk }) as Key)
  await batchWrite(puts, deletes)
  return wrong.length
}

/**
 * Is this a report counter item of an older layout: an item per subject, day or month, and metric
 * (`R#<subject>#<YYYY-MM[-DD]>#<metric>`), or a month item per subject (`R#T#<YYYY-MM>`,
 * `R#D#<dept>#<YYYY-MM>`, and `R#U#<owner>#<YYYY-MM>` not yet in its month partition)?
 */
const olderReportItem = ({ pk, gsi1pk }: Record<string, unknown>) =>
  /#\d{4}-\d{2}(-\d{2})?#[^#]+$/.test(String(pk)) ||
  /#CNT#R#(T|D#[^#]+)#\d{4}-\d{2}$/.test(String(pk)) ||
  (/#CNT#R#U#[^#]+#\d{4}-\d{2}$/.test(String(pk)) && gsi1pk === undefined)

/**
 * Report counters of an older layout (`olderReportItem`): if the tenant has any, its counters are
 * recomputed from the records as cells of the owners' month items (`rebuildReportCounters`, which also
 * deletes the old ones).
 */
async function migrateReportCounters(tenantId: string): Promise<boolean> {
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await getDocumentClient().send(
      new ScanCommand({
        TableName: config.tableName(),
        ExclusiveStartKey,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': tenantKey(tenantId, TAG.counter, 'R#') },
        ProjectionExpression: 'pk, gsi1pk',
      }),
    )
    if ((page.Items ?? []).some(olderReportItem)) {
      await rebuildReportCounters(tenantId)
      return true
    }
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return false
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
        `${s.legacyDeleted} old search entries deleted, ${s.keysFixed} records' index keys fixed, ` +
        `${s.nameCounters} name counters set${s.reportsRebuilt ? ', report counters rebuilt' : ''}`,
    )
  }
}
