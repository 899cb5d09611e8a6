import { QueryCommand as RawQueryCommand } from '@aws-sdk/lib-dynamodb'
import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet'
import { BatchGetCommand, execute as executeBatchGet } from 'dynamodb-toolbox/table/actions/batchGet'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { DuplicateHint } from '../../../shared/schemas/index.js'
import { cachedFields } from '../../core/field-cache.js'
import { getDocumentClient } from '../../db/client.js'
import type { Entry } from '../../db/entries.js'
import { ContractEntity, OpportunityEntity } from '../../db/entities/deals.js'
import { ContactEntity, CustomerEntity, EntryEntity, LeadEntity } from '../../db/entities/lifecycle.js'
import type { StoredRecord } from '../../db/collection.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { readCounters } from '../../db/counters.js'
import { all, type Filter } from '../../db/filter.js'
import { table } from '../../db/table.js'

/**
 * 全文检索 and 查重 without a scan. Every customer, contact, lead, opportunity and contract keeps, in the
 * same transaction as its own write, *postings* — (partition, sort key) pairs a search reads:
 * - one per position of its core name (`normalizeName`: company-form words, 省/市/区 and brackets dealt
 *   with), in the partition of the bigram there (`T#t#SRCH#<bigram>`), under the sort key of the
 *   characters that follow it (`<rest>#<TAG>#<id>`): every name that contains a text has a posting in the
 *   partition of the text's first bigram whose sort key starts with the rest of the text;
 * - 查重's same name needs none of its own: a record whose core is `X` has its first posting in the
 *   partition of X's first bigram under `<rest of X>#<TAG>#<id>` (`sameName`); only a company other than
 *   the name (a lead's) gets one under it (`T#t#SRCH#N#<core>`, sort key `<TAG>#<id>`);
 * - one per distinct 4-digit window of each phone (`T#t#SRCH#P#<4 digits>`, `<digits after>#<TAG>#<id>`):
 *   any 4+ consecutive digits of a number have a posting in the partition of their first four whose sort
 *   key starts with the rest of them.
 * - one per position of the text of each custom text field the tenant marks searchable (字段管理), in
 *   the same bigram partitions as the name, after the name's: `CUSTOM_POSITIONS` of them for all such
 *   fields together, so a record keeps at most 6 more items (the definitions: the instance's copy, which
 *   every request reads before it writes — functions/core/field-cache.ts).
 * Postings are packed four to an item — on its table key and on its gsi1, gsi2 and gsi3 keys — so a
 * customer with a 7-character core name and a mobile number (6 + 8 postings) keeps 4 items, not 14; the
 * first go on the free index keys of an item the record keeps anyway (`head`: a customer's recycle
 * item, a contract's number guard);
 * DynamoDB keeps the index postings itself, outside the transaction. A search asks the posting's
 * partition on the table and the three indexes at once (4 Queries in parallel), each reading only hits,
 * whatever the size of the tenant.
 *
 * An entry carries what a result needs — the name, and who may see the record (owner, department,
 * collaborators, creator, customer) — so a search answers customers and leads without a second read; a
 * contact or a deal the caller does not see by its own fields is decided by its customer (one
 * BatchGetItem of those customers). An owner change rewrites the record's entries (`entryDiff`).
 */

/** Full-width → half-width, lower case, no spaces or punctuation: how search compares text. */
export const searchText = (text: string): string =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '')

/** Company-form words removed wherever they stand ("X有限公司深圳分公司" is "X深圳分公司"). */
const COMPANY_FORMS = /股份有限公司|有限责任公司|有限公司/g
/** ... and at the end only (a trading name may contain 集团 or 公司). */
const COMPANY_SUFFIXES = ['集团', '公司', 'coltd', 'ltd', 'limited', 'inc', 'corporation', 'corp', 'co']
/** A leading place: 2–3 characters and the level (浙江省, 深圳市, 西湖区...), kept without the level. */
const REGION = /^(\p{Script=Han}{2,3}?)(?:省|市|自治区|特别行政区|区|县)/u

/**
 * The name two records share when they are the same company: search text (full-width brackets and
 * letters made half-width, punctuation gone) without "(中国)", without the company-form words
 * (有限公司 anywhere; 集团, Co., Ltd. ... at the end, repeatedly) and with the leading places said
 * without their level ("深圳市审计网络科技有限公司" and "深圳审计网络科技有限公司" are both "深圳审计网络科技").
 */
export function normalizeName(name: string): string {
  const text = name
    .normalize('NFKC')
    .replace(/[【〔［〈《]/g, '(')
    .replace(/[】〕］〉》]/g, ')')
    .replace(/\(\s*中国\s*\)/g, '')
  let core = searchText(text).replace(COMPANY_FORMS, '')
  for (let stripped = true; stripped;) {
    stripped = false
    for (const suffix of COMPANY_SUFFIXES) {
      if (core.endsWith(suffix) && core.length > suffix.length) {
        core = core.slice(0, -suffix.length)
        stripped = true
      }
    }
  }
  // up to three levels: 浙江省杭州市西湖区 → 浙江杭州西湖
  let head = ''
  for (let level = 0; level < 3; level++) {
    const place = REGION.exec(core)
    if (!place || place[0].length === core.length) break
    head += place[1]
    core = core.slice(place[0].length)
  }
  return head + core || searchText(name)
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

/** The digits a phone search looks for: 4 or more, spaces and dashes aside (+86 before a mobile dropped). */
export const phoneDigits = (q: string): string | undefined => {
  const digits = q.replace(/[\s\-+()]/g, '')
  return /^\d{4,}$/.test(digits) ? digits.replace(/^86(?=1\d{10}$)/, '') : undefined
}

export type Searchable = 'customers' | 'contacts' | 'leads' | 'opportunities' | 'contracts'
const TAG_OF: Record<Searchable, string> = {
  customers: TAG.customer,
  contacts: TAG.contact,
  leads: TAG.lead,
  opportunities: TAG.opportunity,
  contracts: TAG.contract,
}

/** Positions of a record's searchable custom texts that get postings, all its fields together. */
const CUSTOM_POSITIONS = 24

/** The texts of a record's custom fields marked searchable (not removed), as search compares them. */
function searchableTexts(
  tenantId: string,
  recordType: Searchable,
  custom: Record<string, unknown> | undefined,
): string[] {
  if (!custom) return []
  const fields = cachedFields(tenantId)?.collections[recordType] ?? []
  return fields
    .filter((f) => f.searchable && !f.removed && (f.type === 'text' || f.type === 'textarea'))
    .map((f) => custom[f.key])
    .filter((v): v is string => typeof v === 'string' && v.trim() !== '')
    .map(normalizeName)
}

/** Where an entry item carries a posting: its table key, then its three index keys. */
const PLACEMENTS = [
  { index: undefined, pk: 'pk', sk: 'sk' },
  { index: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' },
  { index: 'gsi2', pk: 'gsi2pk', sk: 'gsi2sk' },
  { index: 'gsi3', pk: 'gsi3pk', sk: 'gsi3sk' },
] as const

/** What a record's entries say of it besides its name: who may see it. */
export interface SearchScope {
  customerId?: string
  ownerId?: string
  deptId?: string
  collaboratorIds?: string[]
  createdBy?: string
}

/**
 * The search entries of a deal (商机, 合同): by name only (no company to 查重), seen as its owner or its
 * customer; none once it is deleted.
 */
export const dealSearchEntries = (
  recordType: 'opportunities' | 'contracts',
  r:
    | (SearchScope & { tenantId: string; id: string; name: string; custom?: unknown; deletedAt?: unknown })
    | undefined,
  options?: { head?: Entry; legacy?: boolean },
): Entry[] =>
  !r || r.deletedAt
    ? []
    : searchEntries(
        r.tenantId,
        recordType,
        {
          id: r.id,
          custom: r.custom as Record<string, unknown> | undefined,
          name: r.name,
          company: null,
          customerId: r.customerId,
          ownerId: r.ownerId,
          deptId: r.deptId,
          createdBy: r.createdBy,
        },
        options,
      )

/**
 * The search entries of a live record: its postings (see the top of this file), four to an item. With a
 * `head`, an item the record keeps anyway (a contract's number guard, a customer's recycle clocks), the
 * head comes first and carries postings on the index keys it leaves free: one item fewer.
 */
export function searchEntries(
  tenantId: string,
  recordType: Searchable,
  record: SearchScope & {
    id: string
    name: string
    /** the company name 查重 compares (default: the name); deals have none */
    company?: string | null
    phones?: (string | undefined)[]
    /** its custom values: those of searchable text fields are found too */
    custom?: Record<string, unknown>
  },
  { head, legacy = false }: { head?: Entry; legacy?: boolean } = {},
): Entry[] {
  const tail = `${TAG_OF[recordType]}#${record.id}`
  const core = normalizeName(record.name)
  const postings: { pk: string; sk: string }[] = positions(core).map(({ gram, rest }) => ({
    pk: tenantKey(tenantId, TAG.search, gram),
    sk: `${rest}#${tail}`,
  }))
  // 查重's same name: the name's own first posting (`sameName`), or, for a company other than the name
  // (a lead's), one under the company (the format before: always one, `legacy`)
  const company = record.company === null ? '' : normalizeName(record.company ?? record.name)
  if (company && (legacy || company !== core))
    postings.push({ pk: tenantKey(tenantId, TAG.search, 'N', company), sk: tail })
  for (const phone of new Set(record.phones?.filter((p): p is string => !!p))) {
    for (let i = 0; i + 4 <= phone.length; i++) {
      postings.push({
        pk: tenantKey(tenantId, TAG.search, 'P', phone.slice(i, i + 4)),
        sk: `${phone.slice(i + 4)}#${tail}`,
      })
    }
  }
  let budget = CUSTOM_POSITIONS
  for (const text of searchableTexts(tenantId, recordType, record.custom)) {
    const found = positions(text, budget)
    budget -= found.length
    for (const { gram, rest } of found)
      postings.push({ pk: tenantKey(tenantId, TAG.search, gram), sk: `${rest}#${tail}` })
  }
  // a repeating name or number ("abab...") may meet the same posting twice: one
  const unique = [...new Map(postings.map((p) => [`${p.pk}\u0000${p.sk}`, p])).values()]
  const base = {
    tenantId,
    kind: 'search',
    recordType,
    recordId: record.id,
    name: record.name,
    norm: core,
    ...(!legacy && company && company !== core && { company }),
    customerId: record.customerId,
    ownerId: record.ownerId,
    deptId: record.deptId,
    collaboratorIds: record.collaboratorIds?.length ? record.collaboratorIds : undefined,
    createdBy: record.createdBy,
  }
  const entries: Entry[] = []
  let rest = unique
  if (head && !legacy) {
    const entry: Record<string, unknown> = { ...base, ...head }
    const free = PLACEMENTS.filter((p) => p.index && entry[p.pk] === undefined)
    rest.slice(0, free.length).forEach((posting, at) => {
      entry[free[at].pk] = posting.pk
      entry[free[at].sk] = posting.sk
    })
    rest = rest.slice(free.length)
    entries.push(entry as Entry)
  }
  for (let i = 0; i < rest.length; i += PLACEMENTS.length) {
    const entry: Record<string, unknown> = { ...base }
    rest.slice(i, i + PLACEMENTS.length).forEach((posting, at) => {
      entry[PLACEMENTS[at].pk] = posting.pk
      entry[PLACEMENTS[at].sk] = posting.sk
    })
    entries.push(entry as Entry)
  }
  return entries
}

export interface SearchEntry extends SearchScope {
  recordType: Searchable
  recordId: string
  name: string
  norm: string
  /** the core of the company 查重 compares, when not the name's (a lead's) */
  company?: string
}

/**
 * Up to `limit` entries with a posting in the partition `pk` (whose sort key starts with `prefix`), on
 * the table and its three indexes at once, optionally filtered; each record once.
 */
async function postingsIn(
  pk: string,
  { limit, prefix, filter }: { limit: number; prefix?: string; filter?: Filter },
): Promise<SearchEntry[]> {
  const found = new Map<string, SearchEntry>()
  await Promise.all(
    PLACEMENTS.map(async ({ index }) => {
      let start: Record<string, unknown> | undefined
      // pages fill up with hits: more than one only for many hits or a filter
      for (let page = 0; page < 5; page++) {
        const params = table
          .build(QueryCommand)
          .entities(EntryEntity)
          .query({ ...(index && { index }), partition: pk, ...(prefix && { range: { beginsWith: prefix } }) })
          .options({
            limit: Math.min(200, limit + 10),
            exclusiveStartKey: start,
            ...(filter && { filters: { entries: filter } }),
          })
          .params()
        const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(new RawQueryCommand(params))
        for (const e of Items as SearchEntry[]) found.set(`${e.recordType}#${e.recordId}`, e)
        start = LastEvaluatedKey
        if (!start || found.size >= limit) break
      }
    }),
  )
  return [...found.values()].slice(0, limit)
}

const typeFilter = (recordType?: Searchable) => recordType && { attr: 'recordType', eq: recordType }

/**
 * The entries whose core name contains `text` (a core name itself): the postings in the partition of its
 * first bigram whose sort key starts with the rest of it — only the hits (a text longer than the kept
 * rest is checked by a filter too, and so is the record type).
 */
async function entriesContaining(
  tenantId: string,
  text: string,
  { limit, recordType }: { limit: number; recordType?: Searchable },
): Promise<SearchEntry[]> {
  const [first] = positions(text, 1)
  if (!first) return []
  return postingsIn(tenantKey(tenantId, TAG.search, first.gram), {
    limit,
    prefix: first.rest || undefined,
    filter: all(
      typeFilter(recordType),
      [...text].length > SUFFIX_CHARS + 2 && { attr: 'norm', contains: text },
    ),
  })
}

/** Records with a phone containing these digits (4 or more). */
const entriesWithPhone = (
  tenantId: string,
  digits: string,
  { limit, recordType }: { limit: number; recordType?: Searchable },
) =>
  postingsIn(tenantKey(tenantId, TAG.search, 'P', digits.slice(0, 4)), {
    limit,
    prefix: digits.length > 4 ? digits.slice(4) : undefined,
    filter: typeFilter(recordType),
  })

/** Records whose name contains the text, or whose phone contains these digits (4 or more). */
export async function searchRecords(
  tenantId: string,
  q: string,
  { limit, recordType }: { limit: number; recordType?: Searchable },
): Promise<(SearchEntry & { reason: 'name' | 'phone' | 'custom' })[]> {
  const digits = phoneDigits(q)
  if (digits) {
    const byPhone = await entriesWithPhone(tenantId, digits, { limit, recordType })
    if (byPhone.length) return byPhone.map((e) => ({ ...e, reason: 'phone' as const }))
  }
  const text = normalizeName(q)
  const hits = await entriesContaining(tenantId, text, { limit, recordType })
  // found by its name, or else by the text of a searchable custom field
  return hits.map((e) => ({ ...e, reason: e.norm.includes(text) ? ('name' as const) : ('custom' as const) }))
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
    core ? sameName(tenantId, core, { limit, recordType }) : [],
    phone ? samePhone(tenantId, phone, { limit, recordType }) : [],
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

/**
 * Records whose company is this core name: those whose name's core it is — their first posting, in the
 * partition of its first bigram, has the sort key `<rest>#<TAG>#<id>` (a core longer than the kept rest:
 * checked by a filter) — unless they name another company, and those that name it as their company (a
 * lead's `N#<core>` posting).
 */
async function sameName(
  tenantId: string,
  core: string,
  { limit, recordType }: { limit: number; recordType?: Searchable },
): Promise<SearchEntry[]> {
  const [first] = positions(core, 1)
  if (!first) return []
  const [byName, byCompany] = await Promise.all([
    postingsIn(tenantKey(tenantId, TAG.search, first.gram), {
      limit,
      prefix: `${first.rest}#`,
      filter: all(typeFilter(recordType), [...core].length > SUFFIX_CHARS + 2 && { attr: 'norm', eq: core }),
    }),
    // only a lead names a company other than its name
    !recordType || recordType === 'leads'
      ? postingsIn(tenantKey(tenantId, TAG.search, 'N', core), { limit, filter: typeFilter(recordType) })
      : [],
  ])
  return [...byName.filter((e) => (e.company ?? e.norm) === core), ...byCompany].slice(0, limit)
}

/**
 * Records with this very number: the postings of its first four digits whose sort key is the rest of it
 * and then the record (`<rest>#<TAG>#<id>`) — a number that ends with it (a prefix such as 0571-) too.
 */
function samePhone(
  tenantId: string,
  phone: string,
  { limit, recordType }: { limit: number; recordType?: Searchable },
) {
  if (phone.length < 4) return Promise.resolve([])
  return postingsIn(tenantKey(tenantId, TAG.search, 'P', phone.slice(0, 4)), {
    limit,
    prefix: `${phone.slice(4)}#`,
    filter: typeFilter(recordType),
  })
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
    existing.map((part) => sameName(tenantId, part, { limit, recordType: 'customers' })),
  )
  return pages.flat()
}

const ENTITIES = {
  customers: CustomerEntity,
  contacts: ContactEntity,
  leads: LeadEntity,
  opportunities: OpportunityEntity,
  contracts: ContractEntity,
}

/** Records by type and id, one BatchGetItem (≤ 100 keys); deleted ones left out. */
export async function loadRecords(tenantId: string, refs: { recordType: Searchable; id: string }[]) {
  const unique = [...new Map(refs.map((r) => [`${r.recordType}#${r.id}`, r])).values()].slice(0, 100)
  const found = new Map<string, StoredRecord>()
  if (unique.length === 0) return found
  // the entities share their key shape (tenantId, id)
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
