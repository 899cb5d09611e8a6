import { describe, expect, it } from 'vitest'
import { createFollowUp } from '../../functions/domain/followups/record.js'
import { mergeInput, sales1, stopMergeAfter, useMergeFixture } from './merge-fixture.js'

const { as, customersToMerge } = useMergeFixture(['mgr1', 'sales1', 'sales2'])

/** Every item of a customer's tab, through the pages. */
async function allOfTab(user: string, customerId: string, tab: string) {
  const items: { id: string }[] = []
  let cursor: string | null = null
  let total: number | null = null
  do {
    const page: { json: { items: { id: string }[]; nextCursor: string | null; total: number | null } } =
      await as(user).get(`/api/customers/${customerId}/${tab}?limit=50${cursor ? `&cursor=${cursor}` : ''}`)
    items.push(...page.json.items)
    total ??= page.json.total
    cursor = page.json.nextCursor
  } while (cursor)
  return { items, total }
}

describe('merging customers', () => {
  it('moves contacts, follow-ups and comments to the target, takes the chosen fields, bins the source', async () => {
    const { target, source } = await customersToMerge(
      { name: '合并目标', phone: '13300001111' },
      { name: '合并来源', industry: '能源' },
    )
    await as('sales1').post('/api/contacts', { customerId: target.id, name: '目标联系人' })
    await as('sales1').post('/api/contacts', { customerId: source.id, name: '来源联系人' })
    await as('sales1').post('/api/followups', {
      customerId: source.id,
      method: 'visit',
      content: '来源的跟进',
      followedAt: '2026-11-01T10:00:00Z',
    })
    await as('sales1').post(`/api/customers/${source.id}/comments`, { content: '来源的评论' })

    const res = await as('sales1').post('/api/customers/merge', {
      targetId: target.id,
      sourceIds: [source.id],
      fields: { industry: source.id },
    })
    expect(res.status).toBe(200)
    expect(res.json.target).toMatchObject({
      name: '合并目标',
      phone: '13300001111',
      industry: '能源',
    })
    const contacts = await allOfTab('sales1', target.id, 'contacts')
    expect(contacts.total).toBe(2)
    expect(contacts.items).toHaveLength(2)
    expect((await allOfTab('sales1', target.id, 'followups')).total).toBe(1)
    const comments = (await as('sales1').get(`/api/customers/${target.id}/comments`)).json.items
    expect(comments.map((c: { content: string }) => c.content)).toEqual(['来源的评论'])
    expect((await as('sales1').get(`/api/customers/${source.id}`)).status).toBe(404)
    const bin = (await as('sales1').get('/api/recycle-bin?collection=customers')).json.items
    expect(bin.map((e: { id: string }) => e.id)).toContain(source.id)
    const actions = (await as('sales1').get(`/api/customers/${target.id}/timeline?limit=50`)).json.items.map(
      (a: { action: string }) => a.action,
    )
    expect(actions).toContain('merged')
  })

  it('forbids merging another member’s customer into one’s own (404 for what one cannot see)', async () => {
    const mine = await as('sales1').created('/api/customers', { name: '我的' })
    const theirs = await as('sales2').created('/api/customers', { name: '他的' })
    const res = await as('sales1').post('/api/customers/merge', { targetId: mine.id, sourceIds: [theirs.id] })
    expect(res.status).toBe(404)
    expect((await as('sales2').get(`/api/customers/${theirs.id}`)).status).toBe(200)
  })

  it('finishes a merge of 130 follow-ups that stopped half-way when run again: nothing lost, nothing doubled', async () => {
    const { target, source } = await customersToMerge('大合并目标', '大合并来源')
    await as('sales1').post('/api/followups', {
      customerId: target.id,
      method: 'phone',
      content: '目标自己的跟进',
      followedAt: '2026-10-01T10:00:00Z',
    })
    for (let i = 0; i < 130; i++) {
      await createFollowUp(sales1, {
        customerId: source.id,
        method: 'phone',
        content: `来源跟进 ${i}`,
        followedAt: new Date(Date.UTC(2026, 9, 2, 0, i)).toISOString(),
      })
    }
    const input = mergeInput(target, source)
    await stopMergeAfter(input, 70)
    const halfway = await allOfTab('sales1', target.id, 'followups')
    expect(halfway.total).toBe(71)

    const done = await as('sales1').post('/api/customers/merge', input)
    expect(done.status).toBe(200)
    const after = await allOfTab('sales1', target.id, 'followups')
    expect(after.total).toBe(131)
    expect(after.items).toHaveLength(131)
    expect(new Set(after.items.map((f) => f.id)).size).toBe(131)
    expect((await as('sales1').get(`/api/customers/${source.id}`)).status).toBe(404)

    const again = await as('sales1').post('/api/customers/merge', input)
    expect(again.status).toBe(200)
    expect((await allOfTab('sales1', target.id, 'followups')).total).toBe(131)
  })
})
