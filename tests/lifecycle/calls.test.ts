import { nowIso } from '../../functions/core/clock.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ddbUsage, useStack } from '../helpers/stack.js'

const t = useStack()
const tokens: Record<string, string> = {}
const measured: { operation: string; calls: number; rcu: number; wcu: number }[] = []

beforeAll(async () => {
  for (const user of ['mgr1', 'sales1', 'sales2']) tokens[user] = await t.login(user)
})
afterAll(() => {
  if (process.env.PRINT_DDB_CALLS) console.table(measured)
})

/** One request, its DynamoDB usage kept for the table. */
async function call(operation: string, user: string, method: string, path: string, body?: unknown) {
  const res = await t.http(method, path, { token: tokens[user], body })
  expect(res.status, `${operation}: ${JSON.stringify(res.json)}`).toBeLessThan(300)
  const usage = ddbUsage(res.headers)
  measured.push({ operation, ...usage })
  return { ...res, calls: usage.calls }
}

describe('DynamoDB calls per operation', () => {
  it('reads a list page in one Query and a detail in one GetItem; a tab or timeline in two', async () => {
    const { json: c } = await call('create customer', 'sales1', 'POST', '/api/customers', {
      name: '调用计数客户',
    })
    expect(
      (await call('list customers (page 1 + total)', 'sales1', 'GET', '/api/customers?limit=20')).calls,
    ).toBe(1)
    expect((await call('list pool (manager)', 'mgr1', 'GET', '/api/pool?limit=20')).calls).toBe(1)
    // a member's pool page also needs the rules (masked phones?): held by the warm instance since the create
    expect((await call('list pool (member: rules held)', 'sales1', 'GET', '/api/pool?limit=20')).calls).toBe(
      1,
    )
    expect(
      (await call('list by last follow-up', 'sales1', 'GET', '/api/customers?limit=20&sort=lastFollowUpAt'))
        .calls,
    ).toBe(1)
    expect((await call('list department (manager)', 'mgr1', 'GET', '/api/customers?limit=20')).calls).toBe(1)
    expect((await call('list leads', 'sales1', 'GET', '/api/leads?limit=20')).calls).toBe(1)
    expect((await call('customer detail', 'sales1', 'GET', `/api/customers/${c.id}`)).calls).toBe(1)
    expect((await call('tab: contacts', 'sales1', 'GET', `/api/customers/${c.id}/contacts`)).calls).toBe(2)
    expect((await call('tab: follow-ups', 'sales1', 'GET', `/api/customers/${c.id}/followups`)).calls).toBe(2)
    expect((await call('timeline', 'sales1', 'GET', `/api/customers/${c.id}/timeline`)).calls).toBe(2)
  })

  it('commits every mutation in one transaction after the reads its rules need', async () => {
    const { json: c } = await call(
      'create customer (rules + flows held: tx)',
      'sales1',
      'POST',
      '/api/customers',
      {
        name: '变更计数',
      },
    )
    // the pool rules and the approval flows (审批: does one govern it?) are held by the warm instance
    // (core/settings-cache.ts): one transaction
    expect(measured.at(-1)!.calls).toBe(1)
    const contact = await call('create contact (first, primary)', 'sales1', 'POST', '/api/contacts', {
      customerId: c.id,
      name: '联系人',
    })
    expect(contact.calls).toBe(2)
    const second = await call('create contact (new primary)', 'sales1', 'POST', '/api/contacts', {
      customerId: c.id,
      name: '新主联系人',
      isPrimary: true,
    })
    expect(second.calls).toBe(3)
    const fu = await call('create follow-up', 'sales1', 'POST', '/api/followups', {
      customerId: c.id,
      method: 'phone',
      content: '电话',
      followedAt: nowIso(),
    })
    expect(fu.calls).toBe(2)
    const version = (await t.http('GET', `/api/customers/${c.id}`, { token: tokens.sales1 })).json.version
    expect(
      (
        await call('update customer (flows held)', 'sales1', 'PATCH', `/api/customers/${c.id}`, {
          remark: '备注',
          version,
        })
      ).calls,
    ).toBe(2)
    expect(
      (await call('category', 'sales1', 'POST', `/api/customers/${c.id}/category`, { category: 'B' })).calls,
    ).toBe(2)
    expect(
      (
        await call('collaborators', 'sales1', 'PUT', `/api/customers/${c.id}/collaborators`, {
          collaboratorIds: ['sales2'],
        })
      ).calls,
    ).toBe(2)
    expect(
      (
        await call('release (record + tx, rules held)', 'sales1', 'POST', `/api/customers/${c.id}/release`, {
          reason: '测试',
        })
      ).calls,
    ).toBe(2) // a member is answered a pool customer: the (held) rules say whether its number is masked
    expect(
      (await call('claim (record + tx, rules held)', 'sales2', 'POST', `/api/customers/${c.id}/claim`)).calls,
    ).toBe(2)
    expect(
      (
        await call('assign (record + user + tx)', 'mgr1', 'POST', `/api/customers/${c.id}/assign`, {
          ownerId: 'sales1',
        })
      ).calls,
    ).toBe(3)
    expect(
      (await call('comment', 'sales1', 'POST', `/api/customers/${c.id}/comments`, { content: '好' })).calls,
    ).toBe(2)
    expect((await call('delete customer', 'sales1', 'DELETE', `/api/customers/${c.id}`)).calls).toBe(2)
    expect(
      (await call('restore customer', 'sales1', 'POST', `/api/recycle-bin/customers/${c.id}/restore`)).calls,
    ).toBe(2) // the record (restoreRecord checks the bin's rule on it), then the transaction
  })

  it('creates, assigns and converts a lead in a handful of calls with one transaction each', async () => {
    // dup hints, 12 Queries at once: the name's first posting, a lead's company posting and the number's
    // postings, each on the table and gsi1–3 (the same name has no posting of its own: db/README.md)
    const lead = await call('create lead (+ dup hints: 12 Query)', 'mgr1', 'POST', '/api/leads', {
      title: '计数线索',
      companyName: '计数线索有限公司',
      contactInfo: '13811112222',
    })
    expect(lead.calls).toBeLessThanOrEqual(13)
    expect(
      (
        await call('assign lead (+ outbox)', 'mgr1', 'POST', `/api/leads/${lead.json.id}/assign`, {
          assigneeId: 'sales1',
        })
      ).calls,
    ).toBe(3)
    expect(
      (
        await call(
          'convert lead (lead + tx, rules held)',
          'sales1',
          'POST',
          `/api/leads/${lead.json.id}/convert`,
          {},
        )
      ).calls,
    ).toBe(2)
    // the posting partition on the table and gsi1–3 at once, then the hits
    expect((await call('search', 'sales1', 'GET', `/api/search?q=${encodeURIComponent('计数')}`)).calls).toBe(
      5,
    )
    expect(
      (
        await call(
          'duplicates',
          'sales2',
          'GET',
          `/api/customers/duplicates?name=${encodeURIComponent('计数线索')}`,
        )
      ).calls,
      // same name, names containing it (each on the table and gsi1–3, at once), names inside it, the hits
    ).toBeLessThanOrEqual(14)
  })
})
