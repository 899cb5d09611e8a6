/**
 * A filtered list answers full pages: DynamoDB filters after reading `Limit` items, so a selective filter
 * alone would answer short or empty pages with a cursor. 60 records, 3 of them match, `limit=2`: the
 * pages are 2 then 1 with no cursor, each within the bound of Query calls a page may make.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { PAGE_READS } from '../../functions/db/pages.js'
import { ddbUsage, useStack } from '../helpers/stack.js'

const t = useStack({ seed: false })
let member: string
let admin: string

const RECORDS = 60
/** which of the records match: spread, none among the first page's reads */
const MATCHING = new Set([7, 31, 52])

async function post(token: string, path: string, body: unknown) {
  const { status, json } = await t.http('POST', path, { token, body })
  if (status !== 201) throw new Error(`${path}: ${status} ${JSON.stringify(json)}`)
  return json as { id: string }
}

/** Every page of a list, with the DynamoDB calls each one took. */
async function walk(token: string, path: string) {
  const pages: { ids: string[]; nextCursor: string | null; calls: number }[] = []
  let cursor: string | null = null
  do {
    const url: string = cursor ? `${path}&cursor=${encodeURIComponent(cursor)}` : path
    const { status, json, headers } = await t.http('GET', url, { token })
    expect(status).toBe(200)
    pages.push({
      ids: json.items.map((i: { id: string }) => i.id),
      nextCursor: json.nextCursor,
      calls: ddbUsage(headers).calls,
    })
    cursor = json.nextCursor
  } while (cursor && pages.length < RECORDS)
  return pages
}

const customers: string[] = []
const contracts: string[] = []

beforeAll(async () => {
  member = await t.token({ tenantId: DEMO_CORP_ID, userId: 'sparse1', deptIds: ['201'] })
  admin = await t.token({ tenantId: DEMO_CORP_ID, userId: 'admin', role: 'admin' })
  for (let i = 0; i < RECORDS; i++) {
    const match = MATCHING.has(i)
    const customer = await post(member, '/api/customers', {
      name: `稀疏客户${i}`,
      category: match ? 'A' : 'B',
    })
    if (match) customers.push(customer.id)
  }
  const [customerId] = customers
  for (let i = 0; i < RECORDS; i++) {
    const match = MATCHING.has(i)
    const contract = await post(member, '/api/contracts', {
      number: `SPARSE-${i}`,
      name: `稀疏合同${i}`,
      customerId,
      type: match ? 'service' : 'product',
      amount: 100,
      signedAt: '2026-03-01',
    })
    if (match) contracts.push(contract.id)
  }
}, 120_000)

/** Page sizes 2 then 1, the last without a cursor; every match once; each page within the bound. */
function expectFullPages(pages: Awaited<ReturnType<typeof walk>>, matching: string[]) {
  expect(pages.map((p) => p.ids.length)).toEqual([2, 1])
  expect(pages.map((p) => p.nextCursor === null)).toEqual([false, true])
  expect(pages.flatMap((p) => p.ids).sort()).toEqual([...matching].sort())
  for (const page of pages) expect(page.calls).toBeLessThanOrEqual(PAGE_READS)
}

describe('a filtered list page carries up to `limit` matches, or no cursor', () => {
  it('customers by category (a member: owner partition on gsi2, kept count first)', async () => {
    expectFullPages(await walk(member, '/api/customers?category=A&limit=2'), customers)
  })

  it('customers by category in the last follow-up order (gsi2alt: the cursor keeps altsk)', async () => {
    expectFullPages(await walk(member, '/api/customers?category=A&sort=lastFollowUpAt&limit=2'), customers)
  })

  it('contracts by type (an admin: the whole collection on gsi1)', async () => {
    expectFullPages(await walk(admin, '/api/contracts?type=service&limit=2'), contracts)
  })

  it('contracts by type (a member: their own on gsi3)', async () => {
    expectFullPages(await walk(member, '/api/contracts?type=service&limit=2'), contracts)
  })
})

describe('the other filtered lists read on the same way', () => {
  const leads: string[] = []
  const binned: string[] = []
  let binner: string

  beforeAll(async () => {
    binner = await t.token({ tenantId: DEMO_CORP_ID, userId: 'binner1', deptIds: ['201'] })
    for (let i = 0; i < RECORDS; i++) {
      const match = MATCHING.has(i)
      const lead = await post(admin, '/api/leads', {
        title: `稀疏线索${i}`,
        status: match ? 'following' : 'new',
      })
      if (match) leads.push(lead.id)
    }
    // the member's deletions among an admin's: the bin holds them all, the member sees their own
    for (let i = 0; i < RECORDS; i++) {
      const match = MATCHING.has(i)
      const token = match ? binner : admin
      const { id } = await post(token, '/api/customers', { name: `回收客户${i}` })
      const { status } = await t.http('DELETE', `/api/customers/${id}`, { token })
      expect(status).toBe(204)
      if (match) binned.push(id)
    }
  }, 120_000)

  it('leads by status (an admin: gsi1, kept count first)', async () => {
    expectFullPages(await walk(admin, '/api/leads?status=following&limit=2'), leads)
  })

  it('the recycle bin of a member (filter: what they deleted)', async () => {
    expectFullPages(await walk(binner, '/api/recycle-bin?limit=2'), binned)
  })
})
