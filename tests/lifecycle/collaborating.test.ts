import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { ddbUsage, useStack } from '../helpers/stack.js'

/** 我协助的 (`GET /api/customers?collaborating=true`) in both orders of the customers list. */
const t = useStack()
const tokens: Record<string, string> = {}

/** Members of 销售一部 of their own (each test its own pair, so lists do not mix). */
async function members(...userIds: string[]) {
  for (const userId of userIds) {
    tokens[userId] = await t.token({ tenantId: DEMO_CORP_ID, userId, deptIds: ['201'] })
  }
}
beforeAll(() => members('owner0'))

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
})

/** Customers of `owner` that `helper` assists on, named by their last follow-up day, created in this order. */
async function assisted(owner: string, helper: string, days: (string | null)[]) {
  const ids: Record<string, string> = {}
  for (const [i, day] of days.entries()) {
    const name = `${helper}-${i}-${day ?? '未跟进'}`
    const { json, status } = await as(owner).post('/api/customers', { name, collaboratorIds: [helper] })
    expect(status).toBe(201)
    ids[name] = json.id
    if (day) await followUp(owner, json.id, day)
  }
  return ids
}

const followUp = async (user: string, customerId: string, day: string) =>
  expect(
    (
      await as(user).post('/api/followups', {
        customerId,
        method: 'phone',
        content: '电话沟通',
        followedAt: `${day}T10:00:00+08:00`,
      })
    ).status,
  ).toBe(201)

/** Every page of the list in `sort` order, `limit` a page: the names, and the calls of each page. */
async function pages(user: string, sort: string, limit: number) {
  const names: string[] = []
  const calls: number[] = []
  let cursor: string | null = null
  do {
    const res = await as(user).get(
      `/api/customers?collaborating=true&sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
    )
    expect(res.status).toBe(200)
    expect(res.json.items.length).toBeLessThanOrEqual(limit)
    names.push(...res.json.items.map((c: { name: string }) => c.name))
    calls.push(ddbUsage(res.headers).calls)
    cursor = res.json.nextCursor
  } while (cursor)
  return { names, calls }
}

const DAYS = ['2026-05-03', null, '2026-05-01', '2026-05-05', null, '2026-05-02']

describe('我协助的 in both orders', () => {
  it('pages by last follow-up, latest first and never followed up last, one Query and one BatchGetItem a page', async () => {
    await members('helper1')
    await assisted('owner0', 'helper1', DAYS)
    const { names, calls } = await pages('helper1', 'lastFollowUpAt', 2)
    expect(names.slice(0, 4)).toEqual([
      'helper1-3-2026-05-05',
      'helper1-0-2026-05-03',
      'helper1-5-2026-05-02',
      'helper1-2-2026-05-01',
    ])
    expect(names.slice(4).sort()).toEqual(['helper1-1-未跟进', 'helper1-4-未跟进'])
    for (const n of calls) expect(n).toBeLessThanOrEqual(2)
  })

  it('pages by creation, newest first, each customer once, one Query and one BatchGetItem a page', async () => {
    await members('helper2')
    await assisted('owner0', 'helper2', DAYS)
    const { names, calls } = await pages('helper2', 'createdAt', 4)
    expect(names).toEqual([
      'helper2-5-2026-05-02',
      'helper2-4-未跟进',
      'helper2-3-2026-05-05',
      'helper2-2-2026-05-01',
      'helper2-1-未跟进',
      'helper2-0-2026-05-03',
    ])
    for (const n of calls) expect(n).toBeLessThanOrEqual(2)
  })

  it('moves a customer to the head of the follow-up order when its collaborator follows it up', async () => {
    await members('helper3')
    const ids = await assisted('owner0', 'helper3', ['2026-06-01', '2026-06-02'])
    await followUp('helper3', ids['helper3-0-2026-06-01'], '2026-06-09')
    const { names } = await pages('helper3', 'lastFollowUpAt', 20)
    expect(names).toEqual(['helper3-0-2026-06-01', 'helper3-1-2026-06-02'])
  })

  it('refuses a cursor of one order for the other with 400', async () => {
    await members('helper4')
    await assisted('owner0', 'helper4', ['2026-07-01', '2026-07-02', '2026-07-03'])
    const first = await as('helper4').get('/api/customers?collaborating=true&sort=createdAt&limit=1')
    const other = await as('helper4').get(
      `/api/customers?collaborating=true&sort=lastFollowUpAt&limit=1&cursor=${first.json.nextCursor}`,
    )
    expect(other.status).toBe(400)
    expect(other.json.error.code).toBe('validation.failed')
  })
})
