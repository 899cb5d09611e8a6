import { beforeAll, describe, expect, it } from 'vitest'
import { ddbUsage, useStack } from '../helpers/stack.js'

/**
 * A record's reminders (`GET /api/reminders?recordType&recordId`) are one Query on the record's own
 * partition: the page is the record's reminders, newest first, within the caller's scope, and costs the
 * same however many reminders the rest of the tenant holds.
 */
const t = useStack()
const tokens: Record<string, string> = {}
/** sales1's customer (sales2 assists on it) and another customer whose reminders crowd the tenant */
let customerId: string
let otherId: string
/** the customer's reminders, oldest first */
const mine: { id: string; assigneeIds: string[] }[] = []

const post = async (user: string, path: string, body: unknown) => {
  const { status, json } = await t.http('POST', path, { token: tokens[user], body })
  if (status !== 201) throw new Error(`${path}: ${status} ${JSON.stringify(json)}`)
  return json
}
const remind = (recordId: string, title: string, assigneeIds: string[]) =>
  post('sales1', '/api/reminders', {
    recordType: 'customer',
    recordId,
    title,
    assigneeIds,
    dueAt: '2030-01-01T09:00:00+08:00',
  })
const crowd = async (count: number) => {
  for (let i = 0; i < count; i++) await remind(otherId, `其他客户提醒 ${i}`, ['sales1'])
}
const listOf = (user: string, query: string) =>
  t.http('GET', `/api/reminders?recordType=customer&recordId=${customerId}&${query}`, {
    token: tokens[user],
  })
const ids = (json: { items: { id: string }[] }) => json.items.map((r) => r.id)

beforeAll(async () => {
  for (const user of ['admin', 'sales1', 'sales2', 'mkt1']) tokens[user] = await t.login(user)
  customerId = (await post('sales1', '/api/customers', { name: '提醒列表客户' })).id
  otherId = (await post('sales1', '/api/customers', { name: '提醒很多的客户' })).id
  const shared = await t.http('PUT', `/api/customers/${customerId}/collaborators`, {
    token: tokens.sales1,
    body: { collaboratorIds: ['sales2'] },
  })
  if (shared.status !== 200) throw new Error(shared.text)
  await crowd(3)
  for (const [title, assignees] of [
    ['回访', ['sales1']],
    ['报价', ['sales2']],
    ['签约', ['sales1']],
  ] as const) {
    mine.push(await remind(customerId, title, [...assignees]))
  }
  // created after the record's reminders: a tenant-wide page would meet these first
  await crowd(5)
}, 120_000)

describe("a record's reminders", () => {
  it('answers exactly the record’s reminders, newest first, in one Query even when newer reminders of other records exist', async () => {
    const { status, json, headers } = await listOf('sales1', 'limit=3')
    expect(status).toBe(200)
    expect(ids(json)).toEqual(mine.map((r) => r.id).reverse())
    expect(ddbUsage(headers).calls).toBe(1)
  })

  it('costs the same calls and read units however many reminders the rest of the tenant holds', async () => {
    const before = ddbUsage((await listOf('sales1', 'limit=20')).headers)
    await crowd(25)
    const { json, headers } = await listOf('sales1', 'limit=20')
    expect(ids(json)).toHaveLength(3)
    expect(ddbUsage(headers)).toEqual(before)
    expect(before.calls).toBe(1)
  }, 60_000)

  it('pages the record’s reminders with a keyset cursor, one Query a page', async () => {
    const first = await listOf('sales1', 'limit=2')
    expect(ids(first.json)).toEqual([mine[2].id, mine[1].id])
    expect(first.json.nextCursor).toEqual(expect.any(String))
    const second = await listOf('sales1', `limit=2&cursor=${first.json.nextCursor}`)
    expect(ids(second.json)).toEqual([mine[0].id])
    expect(second.json.nextCursor).toBeNull()
    expect([ddbUsage(first.headers).calls, ddbUsage(second.headers).calls]).toEqual([1, 1])
  })

  it('shows a member only the record’s reminders they created or receive', async () => {
    const { json } = await listOf('sales2', 'limit=20')
    expect(ids(json)).toEqual([mine[1].id])
  })

  it('shows the admin all of the record’s reminders', async () => {
    const { json } = await listOf('admin', 'limit=20')
    expect(ids(json)).toEqual(mine.map((r) => r.id).reverse())
  })

  it('answers an empty page to someone outside the record’s scope', async () => {
    const { status, json } = await listOf('mkt1', 'limit=20')
    expect([status, json.items]).toEqual([200, []])
  })

  it('applies the other filters within the record’s partition', async () => {
    const { json } = await listOf('sales1', `limit=20&assigneeId=sales2`)
    expect(ids(json)).toEqual([mine[1].id])
  })

  it('answers nothing for the same id under another record type', async () => {
    const { json } = await t.http('GET', `/api/reminders?recordType=contact&recordId=${customerId}`, {
      token: tokens.sales1,
    })
    expect(json.items).toEqual([])
  })

  it('refuses a recordId without its recordType (no type names no partition) with 400 asking for recordType', async () => {
    const { status, json } = await t.http('GET', `/api/reminders?recordId=${customerId}&limit=100`, {
      token: tokens.sales1,
    })
    expect([status, json.error.code]).toEqual([400, 'validation.failed'])
    expect(json.error.message).toContain('请同时传 recordType')
  })
})
