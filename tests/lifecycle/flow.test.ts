import { beforeAll, describe, expect, it } from 'vitest'
import { ddbUsage, useStack } from '../helpers/stack.js'

const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['admin', 'mgr1', 'sales1', 'sales2', 'sales3']) tokens[user] = await t.login(user)
})

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  patch: (path: string, body: unknown) => t.http('PATCH', path, { token: tokens[user], body }),
  del: (path: string) => t.http('DELETE', path, { token: tokens[user] }),
})

describe('the whole life cycle over HTTP', () => {
  it('takes a lead to a customer, through the pool, to another owner, into a merge, and tells it in the timeline', async () => {
    // lead, created by marketing's manager and assigned to sales1
    const lead = await as('mgr1').post('/api/leads', {
      title: '展会名片：星河数据',
      companyName: '深圳星河数据股份有限公司',
      contactName: '陈经理',
      contactInfo: '139 0000 1111',
      source: '展会',
    })
    expect(lead.status).toBe(201)
    expect(lead.json).toMatchObject({ status: 'new', contactInfo: '13900001111', assigneeId: null })

    const assigned = await as('mgr1').post(`/api/leads/${lead.json.id}/assign`, { assigneeId: 'sales1' })
    expect(assigned.status).toBe(200)
    expect(assigned.json).toMatchObject({ assigneeId: 'sales1', deptId: '201' })

    const converted = await as('sales1').post(`/api/leads/${lead.json.id}/convert`, {})
    expect(converted.status).toBe(200)
    const { customerId, contactId } = converted.json
    const customer = (await as('sales1').get(`/api/customers/${customerId}`)).json
    expect(customer).toMatchObject({
      name: '深圳星河数据股份有限公司',
      ownerId: 'sales1',
      phone: '13900001111',
      source: '展会',
      primaryContactId: contactId,
    })
    expect((await as('sales1').get(`/api/leads/${lead.json.id}`)).json).toMatchObject({
      status: 'converted',
      convertedCustomerId: customerId,
    })
    const contacts = (await as('sales1').get(`/api/customers/${customerId}/contacts`)).json
    expect(contacts.total).toBe(1)
    expect(contacts.items[0]).toMatchObject({
      id: contactId,
      name: '陈经理',
      mobile: '13900001111',
      isPrimary: true,
    })

    const followedAt = '2026-11-20T10:00:00+08:00'
    const followUp = await as('sales1').post('/api/followups', {
      customerId,
      contactId,
      method: 'visit',
      content: '上门拜访，介绍了方案',
      followedAt,
      nextFollowUpAt: '2026-11-27T10:00:00+08:00',
    })
    expect(followUp.status).toBe(201)
    expect((await as('sales1').get(`/api/customers/${customerId}`)).json.lastFollowUpAt).toBe(
      new Date(followedAt).toISOString(),
    )

    expect(
      (await as('sales1').post(`/api/customers/${customerId}/release`, { reason: '预算冻结' })).status,
    ).toBe(200)
    const claimed = await as('sales2').post(`/api/customers/${customerId}/claim`)
    expect(claimed.status).toBe(200)
    expect(claimed.json).toMatchObject({ ownerId: 'sales2', prevOwnerId: 'sales1', poolEnteredAt: null })
    // the contacts followed the customer: its new owner sees them, its old one no longer
    expect((await as('sales2').get(`/api/contacts/${contactId}`)).status).toBe(200)
    expect((await as('sales1').get(`/api/customers/${customerId}/contacts`)).status).toBe(404)

    const reassigned = await as('mgr1').post(`/api/customers/${customerId}/assign`, { ownerId: 'sales1' })
    expect(reassigned.json).toMatchObject({ ownerId: 'sales1', prevOwnerId: 'sales2' })

    const dups = await as('sales3').get(`/api/customers/duplicates?name=${encodeURIComponent('星河数据')}`)
    expect(dups.status).toBe(200)
    expect(dups.json.items).toContainEqual({
      id: customerId,
      name: '深圳星河数据股份有限公司',
      ownerId: 'sales1',
      reason: 'name_contains',
    })

    // the second record of the same company, kept by sales1 with a follow-up, merges into it
    const second = (await as('sales1').post('/api/customers', { name: '星河数据', industry: '大数据' })).json
    await as('sales1').post('/api/followups', {
      customerId: second.id,
      method: 'phone',
      content: '另一条记录上的跟进',
      followedAt: '2026-11-21T10:00:00+08:00',
    })
    const merged = await as('sales1').post('/api/customers/merge', {
      targetId: customerId,
      sourceIds: [second.id],
      fields: { industry: second.id },
    })
    expect(merged.status).toBe(200)
    expect(merged.json.target).toMatchObject({ industry: '大数据', ownerId: 'sales1' })
    expect((await as('sales1').get(`/api/customers/${customerId}/followups`)).json.total).toBe(2)

    const timeline = (await as('sales1').get(`/api/customers/${customerId}/timeline?limit=50`)).json
    expect(timeline.items.map((a: { action: string }) => a.action)).toEqual([
      'merged',
      'followed_up', // moved over from the merged record: entries keep their time order
      'created',
      'assigned',
      'claimed',
      'released',
      'followed_up',
      'contact_added',
      'created',
    ])
    expect(timeline.items[3]).toMatchObject({
      actorId: 'mgr1',
      changes: expect.arrayContaining([
        { field: 'ownerId', from: 'sales2', to: 'sales1', fromName: '郑纬祺', toName: '王靓依' },
      ]),
    })
    // what people read names the new owner, not their id
    expect(timeline.items[3].summary).toMatch(/分配给 王靓依$/)
    expect(timeline.items.at(-1).summary).toContain('由线索')
  })
})

describe('leads', () => {
  it('refuses a second convert with 422 lead.already_converted and creates nothing more', async () => {
    const { json: lead } = await as('sales1').post('/api/leads', {
      title: '二次转换',
      companyName: '二次转换有限公司',
    })
    expect((await as('sales1').post(`/api/leads/${lead.id}/convert`, {})).status).toBe(200)
    const before = (await as('sales1').get('/api/customers?limit=1')).json.total
    const again = await as('sales1').post(`/api/leads/${lead.id}/convert`, {})
    expect(again.status).toBe(422)
    expect(again.json.error.code).toBe('lead.already_converted')
    expect((await as('sales1').get('/api/customers?limit=1')).json.total).toBe(before)
  })

  it('converts exactly once when two converts race', async () => {
    const { json: lead } = await as('sales1').post('/api/leads', { title: '并发转换' })
    const results = await Promise.all(
      [1, 2].map(() => as('sales1').post(`/api/leads/${lead.id}/convert`, {})),
    )
    expect(results.map((r) => r.status).sort()).toEqual([200, 422])
  })

  it('writes the assignment message to the outbox in the same transaction', async () => {
    const { json: lead } = await as('mgr1').post('/api/leads', { title: '待分配线索' })
    const res = await as('mgr1').post(`/api/leads/${lead.id}/assign`, { assigneeId: 'sales2' })
    expect(ddbUsage(res.headers).calls).toBe(3) // lead, assignee, one transaction
    expect(res.json.assigneeId).toBe('sales2')
  })

  it('tells the assignee in DingTalk once the scheduler delivers the outbox', async () => {
    const { json: lead } = await as('mgr1').post('/api/leads', { title: '钉钉通知线索' })
    await as('mgr1').post(`/api/leads/${lead.id}/assign`, { assigneeId: 'sales2' })
    await t.http('POST', '/__dev/scheduler/run', { body: {} })
    const { json } = await t.http('GET', '/dingtalk/__messages')
    const message = JSON.stringify(
      json.items.find((m: unknown) => JSON.stringify(m).includes('钉钉通知线索')),
    )
    expect(message).toContain('sales2')
    expect(message).toContain(encodeURIComponent('pages/lead/detail?id=' + lead.id))
  })

  it('needs a reason to mark a lead invalid', async () => {
    const { json: lead } = await as('sales1').post('/api/leads', { title: '无效线索' })
    expect((await as('sales1').post(`/api/leads/${lead.id}/invalid`, {})).status).toBe(400)
    const { json } = await as('sales1').post(`/api/leads/${lead.id}/invalid`, { reason: '空号' })
    expect(json).toMatchObject({ status: 'invalid', result: '空号' })
  })

  it('hints at duplicates on create: same phone or same company as a lead or customer', async () => {
    await as('sales2').post('/api/customers', { name: '重复提示科技有限公司', phone: '13700001234' })
    const { json } = await as('sales1').post('/api/leads', {
      title: '可能重复',
      companyName: '重复提示科技',
      contactInfo: '13700001234',
    })
    expect(json.duplicateHints).toContainEqual(
      expect.objectContaining({ collection: 'customers', name: '重复提示科技有限公司', ownerId: 'sales2' }),
    )
  })

  it('lets a member list only their own leads; a member cannot assign (403)', async () => {
    const { json: lead } = await as('sales3').post('/api/leads', { title: '二部线索' })
    const ids = (await as('sales1').get('/api/leads?limit=200')).json.items.map((l: { id: string }) => l.id)
    expect(ids).not.toContain(lead.id)
    expect((await as('sales1').get(`/api/leads/${lead.id}`)).status).toBe(404)
    expect((await as('sales3').post(`/api/leads/${lead.id}/assign`, { assigneeId: 'sales3' })).status).toBe(
      403,
    )
  })
})

describe('follow-ups, contacts and the customer detail', () => {
  it('moves lastFollowUpAt forward only, and counts the follow-ups tab', async () => {
    const { json: c } = await as('sales3').post('/api/customers', { name: '跟进计数' })
    const post = (followedAt: string) =>
      as('sales3').post('/api/followups', { customerId: c.id, method: 'phone', content: '电话', followedAt })
    expect(ddbUsage((await post('2026-11-10T09:00:00Z')).headers).calls).toBe(2)
    await post('2026-11-12T09:00:00Z')
    await post('2026-11-11T09:00:00Z')
    expect((await as('sales3').get(`/api/customers/${c.id}`)).json.lastFollowUpAt).toBe(
      '2026-11-12T09:00:00.000Z',
    )
    const tab = await as('sales3').get(`/api/customers/${c.id}/followups?limit=2`)
    expect(ddbUsage(tab.headers).calls).toBe(2)
    expect(tab.json.total).toBe(3)
    expect(tab.json.items.map((f: { followedAt: string }) => f.followedAt)).toEqual([
      '2026-11-12T09:00:00.000Z',
      '2026-11-11T09:00:00.000Z',
    ])
  })

  it('filters a customer’s follow-ups by method within the customer’s partition', async () => {
    const { json: c } = await as('sales3').post('/api/customers', { name: '按方式筛选' })
    for (const method of ['phone', 'visit', 'phone']) {
      await as('sales3').post('/api/followups', {
        customerId: c.id,
        method,
        content: method,
        followedAt: '2026-11-10T09:00:00Z',
      })
    }
    const res = await as('sales3').get(`/api/followups?customerId=${c.id}&method=phone`)
    expect(ddbUsage(res.headers).calls).toBe(2)
    expect(res.json.items.map((f: { method: string }) => f.method)).toEqual(['phone', 'phone'])
    expect((await as('sales1').get(`/api/followups?customerId=${c.id}`)).status).toBe(404)
  })

  it('keeps one primary contact per customer', async () => {
    const { json: c } = await as('sales3').post('/api/customers', { name: '主联系人' })
    const a = (await as('sales3').post('/api/contacts', { customerId: c.id, name: '甲' })).json
    expect(a.isPrimary).toBe(true)
    const b = (await as('sales3').post('/api/contacts', { customerId: c.id, name: '乙', isPrimary: true }))
      .json
    expect(b.isPrimary).toBe(true)
    expect((await as('sales3').get(`/api/contacts/${a.id}`)).json.isPrimary).toBe(false)
    expect((await as('sales3').get(`/api/customers/${c.id}`)).json.primaryContactId).toBe(b.id)
  })

  it('answers 404 for another member’s follow-up and 403 to a collaborator-less member writing one', async () => {
    const { json: c } = await as('sales3').post('/api/customers', { name: '别人的客户' })
    const { json: f } = await as('sales3').post('/api/followups', {
      customerId: c.id,
      method: 'phone',
      content: 'x',
      followedAt: '2026-11-10T09:00:00Z',
    })
    expect((await as('sales1').get(`/api/followups/${f.id}`)).status).toBe(404)
    expect(
      (
        await as('sales1').post('/api/followups', {
          customerId: c.id,
          method: 'phone',
          content: 'y',
          followedAt: '2026-11-10T09:00:00Z',
        })
      ).status,
    ).toBe(404)
    const pool = (await as('mgr1').post('/api/pool', { name: '公海不能写跟进' })).json
    expect(
      (
        await as('sales1').post('/api/followups', {
          customerId: pool.id,
          method: 'phone',
          content: 'y',
          followedAt: '2026-11-10T09:00:00Z',
        })
      ).status,
    ).toBe(403)
  })

  it('restores a deleted customer with its contacts and follow-ups', async () => {
    const { json: c } = await as('sales3').post('/api/customers', { name: '整体恢复' })
    await as('sales3').post('/api/contacts', { customerId: c.id, name: '联系人' })
    await as('sales3').del(`/api/customers/${c.id}`)
    expect((await as('sales3').get(`/api/customers/${c.id}/contacts`)).status).toBe(404)
    await as('sales3').post(`/api/recycle-bin/customers/${c.id}/restore`)
    const tab = (await as('sales3').get(`/api/customers/${c.id}/contacts`)).json
    expect(tab.items.map((x: { name: string }) => x.name)).toEqual(['联系人'])
  })
})

describe('comments, likes, search', () => {
  it('comments and likes a customer, and the timeline shows both', async () => {
    const { json: c } = await as('sales1').post('/api/customers', { name: '评论点赞' })
    expect((await as('sales1').post(`/api/customers/${c.id}/comments`, { content: '重点客户' })).status).toBe(
      201,
    )
    expect((await as('mgr1').post(`/api/customers/${c.id}/likes`)).json).toEqual({
      count: 1,
      likedByMe: true,
    })
    expect((await as('mgr1').post(`/api/customers/${c.id}/likes`)).json).toEqual({
      count: 1,
      likedByMe: true,
    })
    const comments = (await as('mgr1').get(`/api/customers/${c.id}/comments`)).json
    expect(comments.items[0]).toMatchObject({ content: '重点客户', createdBy: 'sales1' })
    const actions = (await as('sales1').get(`/api/customers/${c.id}/timeline`)).json.items.map(
      (a: { action: string }) => a.action,
    )
    expect(actions).toEqual(['liked', 'commented', 'created'])
    expect((await as('sales2').post(`/api/customers/${c.id}/comments`, { content: '偷看' })).status).toBe(404)
  })

  it('finds customers, contacts and leads by any two characters of the name, or by phone digits', async () => {
    const { json: c } = await as('sales2').post('/api/customers', {
      name: '苏州湖畔智能制造有限公司',
      phone: '0512-6666 8888',
    })
    await as('sales2').post('/api/contacts', { customerId: c.id, name: '欧阳湖畔', mobile: '15800002222' })
    const byName = (await as('sales2').get(`/api/search?q=${encodeURIComponent('湖畔')}`)).json.items
    expect(byName.map((h: { collection: string }) => h.collection).sort()).toEqual(['contacts', 'customers'])
    const byInner = (await as('sales2').get(`/api/search?q=${encodeURIComponent('智能制造')}`)).json.items
    expect(byInner).toContainEqual(expect.objectContaining({ id: c.id, reason: 'name' }))
    const byPhone = (await as('sales2').get('/api/search?q=051266668888')).json.items
    expect(byPhone).toContainEqual(expect.objectContaining({ id: c.id, reason: 'phone' }))
    // scope: another member finds nothing of it
    expect((await as('sales3').get(`/api/search?q=${encodeURIComponent('湖畔')}`)).json.items).toEqual([])
  })

  it('finds a duplicate by the same normalized name and by the same phone', async () => {
    const { json: c } = await as('sales1').post('/api/customers', {
      name: 'ＡＢＣ 软件（中国）有限公司',
      phone: '13512345678',
    })
    const same = (await as('sales3').get(`/api/customers/duplicates?name=${encodeURIComponent('abc软件')}`))
      .json.items
    expect(same).toContainEqual({
      id: c.id,
      name: 'ＡＢＣ 软件（中国）有限公司',
      ownerId: 'sales1',
      reason: 'same_name',
    })
    const phone = (await as('sales3').get('/api/customers/duplicates?phone=%2B8613512345678')).json.items
    expect(phone).toContainEqual(expect.objectContaining({ id: c.id, reason: 'same_phone' }))
  })
})
