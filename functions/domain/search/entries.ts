import { QueryCommand as RawQueryCommand } from '@aws-sdk/lib-dynamodb'
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet'
import { BatchGetCommand, execute as executeBatchGet } from 'dynamodb-toolbox/table/actions/batchGet'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { DuplicateHint } from '../../../shared/schemas/index.js'
import { getDocumentClient } from '../../db/client.js'
import type { Entry } from '../../db/entries.js'
import { ContactEntity, CustomerEntity, EntryEntity, LeadEntity } from '../../db/entities/lifecycle.js'
import type { StoredRecord } from '../../db/collection.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { readCounters } from '../../db/counters.js'
import { all } from '../../db/filter.js'
import { table } from '../../db/table.js'

/**
 * 全文检索 and 查重 without a scan: every customer, contact and lead keeps, in the same transaction as
 * its own write, one entry per position of its name — in the partition of the bigram there
 * (`T#t#SRCH#<bigram>`), under the sort key of the characters that follow it (`<rest>#<TAG>#<id>`) —,
 * one under its normalized name (`T#t#SRCH#N#<name>`) and one per phone (`T#t#SRCH#P#<digits>`). Every
 * name that contains a text has an entry in the partition of the text's first bigram whose sort key
 * starts with the rest of the text: a search is one Query that reads only its hits, whatever the size
 * of the tenant. The entries carry only what follows from the name, so claims and releases (which
 * change the owner) never rewrite them.
 */

/** Full-width → half-width, lower case, no spaces or punctuation: how search compares text. */
export const searchText = (text: string): string =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '')

const COMPANY_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '集团有限公司',
  '有限公司',
  '集团',
  '公司',
  'coltd',
  'ltd',
  'limited',
  'inc',
  'corporation',
  'corp',
  'co',
]

/**
 * The name two customers share when they are the same company: search text without "(中国)" and without
 * the company-form suffixes (有限公司, 集团, Co., Ltd. ...), stripped repeatedly ("X集团有限公司" → "x").
 */
export function normalizeName(name: string): string {
  let core = searchText(name.normalize('NFKC').replace(/\(\s*中国\s*\)/g, ''))
  for (let stripped = true; stripped;) {
    stripped = false
    for (const suffix of COMPANY_SUFFIXES) {
      if (core.endsWith(suffix) && core.length > suffix.length) {
        core = core.slice(0, -suffix.length)
        stripped = true
      }
    }
  }
  return core
}

/** Characters after its bigram an entry's sort key keeps: a longer text is also checked by a filter. */
const SUFFIX_CHARS = 30
/** Positions of a name that are indexed: a text found only further on is not found. */
const MAX_POSITIONS = 30

/**
 * The positions of a text: the bigram at each and the characters that follow it (a 1-character text is
 * its own "bigram"); at most `max` of them.
 */
export function positions(text: string, max = MAX_POSITIONS): { gram: string; rest: string }[] {
  const chars = [...text]
  if (chars.length < 2) return chars.length ? [{ gram: chars[0], rest: '' }] : []
  const found: { gram: string; rest: string }[] = []
  for (let i = 0; i + 1 < chars.length && found.length < max; i++) {
    found.push({ gram: chars[i] + chars[i + 1], rest: chars.slice(i + 2, i + 2 + SUFFIX_CHARS).join('') })
  }
  return found
}

export type Searchable = 'customers' | 'contacts' | 'leads'
const TAG_OF: Record<Searchable, string> = { customers: TAG.customer, contacts: TAG.contact, leads: TAG.lead }

/** The search entries of a live record: its name's positions, its normalized name, its phones. */
export function searchEntries(
  tenantId: string,
  recordType: Searchable,
  record: {
    id: string
    name: string
    /** the company name dedup compares (default: the name) */
    company?: string
    phones?: (string | undefined)[]
    customerId?: string
  },
): Entry[] {
  const sk = `${TAG_OF[recordType]}#${record.id}`
  // the sort key of a position: what follows the bigram, then the record (search text has no `#`)
  const positionKey = (rest: string) => `${rest}#${sk}`
  const base = {
    tenantId,
    kind: 'search',
    recordType,
    recordId: record.id,
    name: record.name,
    norm: searchText(record.name),
    customerId: record.customerId,
  }
  const entries: Entry[] = positions(base.norm).map(({ gram, rest }) => ({
    ...base,
    pk: tenantKey(tenantId, TAG.search, gram),
    sk: positionKey(rest),
  }))
  const core = normalizeName(record.company ?? record.name)
  if (core) entries.push({ ...base, pk: tenantKey(tenantId, TAG.search, 'N', core), sk })
  for (const phone of new Set(record.phones?.filter(Boolean))) {
    entries.push({ ...base, pk: tenantKey(tenantId, TAG.search, 'P', phone!), sk })
  }
  // a repeating name ("abababab...") may meet the same bigram and kept rest twice: one item
  return [...new Map(entries.map((e) => [`${e.pk}\u0000${e.sk}`, e])).values()]
}

export interface SearchEntry {
  recordType: Searchable
  recordId: string
  name: string
  norm: string
  customerId?: string
}

/** Up to `limit` entries of one partition (all kinds of record, or one), optionally filtered. */
async function queryEntries(
  pk: string,
  { limit, recordType, contains }: { limit: number; recordType?: Searchable; contains?: string },
): Promise<SearchEntry[]> {
  const found: SearchEntry[] = []
  let start: Record<string, unknown> | undefined
  // A filtered Query may return few items a page; read on, up to a bound, for the hits a page needs.
  for (let page = 0; page < 5 && found.length < limit; page++) {
    const params = table
      .build(QueryCommand)
      .entities(EntryEntity)
      .query({ partition: pk, ...(recordType && { range: { beginsWith: `${TAG_OF[recordType]}#` } }) })
      .options({
        limit: 200,
        exclusiveStartKey: start,
        ...(contains && { filters: { entries: { attr: 'norm', contains } } }),
      })
      .params()
    const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(new RawQueryCommand(params))
    found.push(...(Items as SearchEntry[]))
    start = LastEvaluatedKey
    if (!start) break
  }
  return found.slice(0, limit)
}

/**
 * The entries whose text contains `text`: in the partition of its first bigram, those whose sort key
 * starts with the rest of it — one Query that reads only the hits (a text longer than the kept rest is
 * checked by a filter too, and so is the record type). A name that contains the text twice has two
 * entries there: each record comes once.
 */
async function entriesContaining(
  tenantId: string,
  text: string,
  { limit, recordType }: { limit: number; recordType?: Searchable },
): Promise<SearchEntry[]> {
  const [first] = positions(text, 1)
  if (!first) return []
  const filter = all(
    recordType && { attr: 'recordType', eq: recordType },
    [...text].length > SUFFIX_CHARS + 2 && { attr: 'norm', contains: text },
  )
  const found = new Map<string, SearchEntry>()
  let start: Record<string, unknown> | undefined
  // pages fill up with hits: more than one only for many hits, repeats or a filter
  for (let page = 0; page < 5 && found.size < limit; page++) {
    const params = table
      .build(QueryCommand)
      .entities(EntryEntity)
      .query({
        partition: tenantKey(tenantId, TAG.search, first.gram),
        ...(first.rest && { range: { beginsWith: first.rest } }),
      })
      .options({
        limit: Math.min(200, limit - found.size + 10),
        exclusiveStartKey: start,
        ...(filter && { filters: { entries: filter } }),
      })
      .params()
    const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(new RawQueryCommand(params))
    for (const e of Items as SearchEntry[]) found.set(`${e.recordType}#${e.recordId}`, e)
    start = LastEvaluatedKey
    if (!start) break
  }
  return [...found.values()].slice(0, limit)
}

/** Records whose name contains the text, or whose phone is these digits. */
export async function searchRecords(
  tenantId: string,
  q: string,
  { limit, recordType }: { limit: number; recordType?: Searchable },
): Promise<(SearchEntry & { reason: 'name' | 'phone' })[]> {
  const digits = q.replace(/[\s\-+()]/g, '')
  if (/^\d{7,}$/.test(digits)) {
    const phone = digits.replace(/^86(?=1\d{10}$)/, '')
    const byPhone = await queryEntries(tenantKey(tenantId, TAG.search, 'P', phone), { limit, recordType })
    if (byPhone.length) return byPhone.map((e) => ({ ...e, reason: 'phone' as const }))
  }
  const hits = await entriesContaining(tenantId, searchText(q), { limit, recordType })
  return hits.map((e) => ({ ...e, reason: 'name' as const }))
}

export interface DuplicateCandidate {
  recordType: Searchable
  recordId: string
  name: string
  reason: DuplicateHint['reason']
}

/**
 * 查重 candidates of some record types: the same normalized name or phone (one Query each), and with
 * `contains`, names that contain the query's (one Query: `entriesContaining`) or are contained in it
 * (the name counters of its parts, then the names that exist).
 */
export async function duplicateCandidates(
  tenantId: string,
  { name, phone }: { name?: string; phone?: string },
  { recordTypes = ['customers'] as Searchable[], contains = true, limit = 20 } = {},
): Promise<DuplicateCandidate[]> {
  const found = new Map<string, DuplicateCandidate>()
  const add = (entries: SearchEntry[], reason: DuplicateHint['reason']) => {
    for (const e of entries) {
      const key = `${e.recordType}#${e.recordId}`
      if (recordTypes.includes(e.recordType) && !found.has(key)) found.set(key, { ...e, reason })
    }
  }
  const recordType = recordTypes.length === 1 ? recordTypes[0] : undefined
  const core = name ? normalizeName(name) : ''
  const [same, byPhone, containing, contained] = await Promise.all([
    core ? queryEntries(tenantKey(tenantId, TAG.search, 'N', core), { limit, recordType }) : [],
    phone ? queryEntries(tenantKey(tenantId, TAG.search, 'P', phone), { limit, recordType }) : [],
    contains && core.length >= 2 ? entriesContaining(tenantId, core, { limit: 100, recordType }) : [],
    contains && core.length >= 3 ? customersNamedInside(tenantId, core, limit) : [],
  ])
  const near = [...containing, ...contained]
  add(same, 'same_name')
  add(byPhone, 'same_phone')
  add(
    near.filter((e) => {
      const other = normalizeName(e.name)
      return other.length >= 2 && (other.includes(core) || core.includes(other))
    }),
    'name_contains',
  )
  return [...found.values()].slice(0, limit)
}

/** The counter of live customers with a normalized name (kept by the customers' writes). */
export const nameCounter = (normalizedName: string) => `CUS#N#${normalizedName}`

/**
 * Customers whose whole normalized name is a part of `core` ("明达" inside "杭州明达"): the name
 * counters of its parts (≥ 2 characters, longest first, up to 100) in one BatchGetItem, then the
 * entries of the names that exist — usually none or one Query.
 */
async function customersNamedInside(tenantId: string, core: string, limit: number) {
  const chars = [...core]
  const parts = new Set<string>()
  for (let length = chars.length - 1; length >= 2 && parts.size < 100; length--) {
    for (let i = 0; i + length <= chars.length && parts.size < 100; i++) {
      parts.add(chars.slice(i, i + length).join(''))
    }
  }
  const counts = await readCounters(tenantId, [...parts].map(nameCounter))
  const existing = [...parts].filter((part) => counts[nameCounter(part)] > 0)
  const pages = await Promise.all(
    existing.map((part) =>
      queryEntries(tenantKey(tenantId, TAG.search, 'N', part), { limit, recordType: 'customers' }),
    ),
  )
  return pages.flat()
}

const ENTITIES = { customers: CustomerEntity, contacts: ContactEntity, leads: LeadEntity }

/** Records by type and id, one BatchGetItem (≤ 100 keys); deleted ones left out. */
export async function loadRecords(tenantId: string, refs: { recordType: Searchable; id: string }[]) {
  const unique = [...new Map(refs.map((r) => [`${r.recordType}#${r.id}`, r])).values()].slice(0, 100)
  const found = new Map<string, StoredRecord>()
  if (unique.length === 0) return found
  // the three entities share their key shape (tenantId, id)
  const requests = unique.map((r) =>
    (ENTITIES[r.recordType] as typeof CustomerEntity).build(BatchGetRequest).key({ tenantId, id: r.id }),
  )
  const { Responses = [] } = await executeBatchGet(
    table.build(BatchGetCommand).requests(...(requests as [(typeof requests)[number]])),
  )
  ;((Responses[0] ?? []) as (StoredRecord | undefined)[]).forEach((item, i) => {
    if (item && !item.deletedAt) found.set(`${unique[i].recordType}#${unique[i].id}`, item)
  })
  return found
}
