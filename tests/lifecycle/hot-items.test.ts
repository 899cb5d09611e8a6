import { beforeAll, describe, expect, it } from 'vitest'
import { getDocumentClient } from '../../functions/db/client.js'
import { useStack } from '../helpers/stack.js'

/**
 * No item every write of a tenant must touch (db/counters.ts): two creates by different people in one
 * tenant write no common item — the tenant's and departments' counters aside, which are sharded — and
 * what one create writes stays small.
 */
const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['sales1', 'sales3']) tokens[user] = await t.login(user)
})

/** The keys every TransactWriteItems puts, updates or deletes while `run` runs. */
async function writtenKeys(run: () => Promise<unknown>): Promise<string[][]> {
  const transactions: string[][] = []
  const client = getDocumentClient()
  const name = `watch-${Math.random()}`
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (/TransactWrite/.test(context.commandName ?? '')) {
        const items = (args.input as { TransactItems: Record<string, { Key?: unknown; Item?: unknown }>[] })
          .TransactItems
        transactions.push(
          items.map((op) => {
            const { Key, Item } = Object.values(op)[0] as {
              Key?: Record<string, unknown>
              Item?: Record<string, unknown>
            }
            const key = (Key ?? Item)!
            return `${String(key.pk)} ${String(key.sk)}`
          }),
        )
      }
      return next(args)
    },
    { step: 'initialize', name },
  )
  try {
    await run()
  } finally {
    client.middlewareStack.remove(name)
  }
  return transactions
}

const post = async (user: string, path: string, body: unknown) => {
  const res = await t.http('POST', path, { token: tokens[user], body })
  expect(res.status, res.text).toBe(201)
  return res.json as { id: string }
}

/** A sharded counter item: `T#t#CNT#<item>` under `#` or `#<shard>`, of the tenant's, a department's or no one's. */
const sharded = (key: string) => /#CNT#(R#X#|CUS |CUS#POOL |CUS#D#|LEAD )/.test(key)

describe('hot items', () => {
  it('writes no common item for two people’s customer and follow-up creates, shards aside', async () => {
    const a = await writtenKeys(async () => {
      const c = await post('sales1', '/api/customers', { name: '台州黄岩模具有限公司', phone: '13857601234' })
      await post('sales1', '/api/followups', {
        customerId: c.id,
        method: 'phone',
        content: '电话沟通',
        followedAt: '2026-11-18T09:00:00+08:00',
      })
    })
    const b = await writtenKeys(async () => {
      const c = await post('sales3', '/api/customers', {
        name: '金华义乌小商品有限公司',
        phone: '13857605678',
      })
      await post('sales3', '/api/followups', {
        customerId: c.id,
        method: 'visit',
        content: '上门拜访',
        followedAt: '2026-11-18T10:00:00+08:00',
      })
    })
    const mine = new Set(a.flat())
    const common = b.flat().filter((key) => mine.has(key))
    expect(common.filter((key) => !sharded(key))).toEqual([])
    // a customer create is one transaction of 11 items here (record, timeline, 3 list counts, the name
    // guard, its owner's report item, its recycle item and 3 search items: 15 postings, 3 on the recycle
    // item); a follow-up of 6 (record, tab count, report item, customer, 2 timeline entries)
    expect(a.map((keys) => keys.length)[0]).toBeLessThanOrEqual(11)
    expect(a.map((keys) => keys.length)[1]).toBeLessThanOrEqual(6)
  })

  it('spreads the tenant’s counters over shards: eight creates do not all meet on one item', async () => {
    const keys = await writtenKeys(async () => {
      for (let i = 0; i < 8; i++) await post('sales1', '/api/customers', { name: `舟山渔业${i}号有限公司` })
    })
    const tenantCount = keys.flat().filter((key) => /#CNT#CUS #/.test(key))
    expect(tenantCount).toHaveLength(8)
    expect(new Set(tenantCount).size).toBeGreaterThan(1)
    // the reports: the owner's month item only (the tenant's and departments' are read as its sums)
    const reports = keys.flat().filter((key) => /#CNT#R#/.test(key))
    expect(reports).toHaveLength(8)
    expect(reports.filter((key) => !/#CNT#R#U#sales1#\d{4}-\d{2} #$/.test(key))).toEqual([])
  })
})
