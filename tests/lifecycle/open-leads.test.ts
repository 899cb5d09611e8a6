import { beforeAll, describe, expect, it } from 'vitest'
import { ddbUsage, useStack } from '../helpers/stack.js'

/**
 * 分配给我的线索 on 工作台 (`GET /api/leads?assigneeId=<me>&open=true`): the assignee's leads still to
 * work on (new, following), newest first, from an index that holds only those, so an open lead behind
 * many newer closed ones is on the first page, in one Query.
 */
const t = useStack()
const tokens: Record<string, string> = {}
const ids = (json: { items: { id: string }[] }) => json.items.map((l) => l.id)

const post = async (user: string, path: string, body: unknown) => {
  const res = await t.http('POST', path, { token: tokens[user], body })
  if (res.status >= 300) throw new Error(`${path}: ${res.status} ${res.text}`)
  return res.json as { id: string; status: string }
}

let older: { id: string }
let following: { id: string }
const closed: string[] = []
/** sales1's open leads of the demo data, older than this file's */
let seeded: string[] = []

beforeAll(async () => {
  for (const user of ['admin', 'sales1', 'sales2']) tokens[user] = await t.login(user)
  const before = await t.http('GET', '/api/leads?assigneeId=sales1&limit=200', { token: tokens.sales1 })
  seeded = (before.json.items as { id: string; status: string }[])
    .filter((l) => l.status === 'new' || l.status === 'following')
    .map((l) => l.id)
  older = await post('sales1', '/api/leads', { title: '早先的线索' })
  following = await post('sales1', '/api/leads', { title: '跟进中的线索' })
  const patched = await t.http('PATCH', `/api/leads/${following.id}`, {
    token: tokens.sales1,
    body: { status: 'following', version: 1 },
  })
  if (patched.status !== 200) throw new Error(patched.text)
  for (let i = 0; i < 22; i++) {
    const lead = await post('sales1', '/api/leads', { title: `无效线索 ${i}` })
    await post('sales1', `/api/leads/${lead.id}/invalid`, { reason: '空号' })
    closed.push(lead.id)
  }
  await post('sales2', '/api/leads', { title: '同事的线索' })
}, 120_000)

describe('open leads of an assignee', () => {
  it('puts my open leads on the first page of 20, behind 22 newer closed ones, newest first', async () => {
    const { status, json } = await t.http('GET', '/api/leads?assigneeId=sales1&open=true&limit=20', {
      token: tokens.sales1,
    })
    expect([status, ids(json)]).toEqual([200, [following.id, older.id, ...seeded]])
  })

  it('reads them with one Query', async () => {
    const { headers } = await t.http('GET', '/api/leads?assigneeId=sales1&open=true', {
      token: tokens.sales1,
    })
    expect(ddbUsage(headers).calls).toBe(1)
  })

  it('drops a lead from the open ones once it is marked invalid', async () => {
    await post('sales1', `/api/leads/${older.id}/invalid`, { reason: '重复' })
    const { json } = await t.http('GET', '/api/leads?assigneeId=sales1&open=true', { token: tokens.sales1 })
    expect(ids(json)).toEqual([following.id, ...seeded])
  })

  it('answers the closed ones with open=false', async () => {
    const { json } = await t.http('GET', '/api/leads?assigneeId=sales1&open=false&limit=50', {
      token: tokens.sales1,
    })
    expect(ids(json)).toEqual(expect.arrayContaining([...closed, older.id]))
    expect(ids(json)).not.toContain(following.id)
  })

  it('filters every open lead of the tenant for an admin without an assignee', async () => {
    const { json } = await t.http('GET', '/api/leads?open=true&limit=200', { token: tokens.admin })
    const items = json.items as { title: string; status: string }[]
    expect(items.map((l) => l.title)).toEqual(expect.arrayContaining(['同事的线索', '跟进中的线索']))
    expect(items.filter((l) => l.status !== 'new' && l.status !== 'following')).toEqual([])
  })
})
