import { beforeAll, describe, expect, it } from 'vitest'
import { ddbUsage, useStack } from '../helpers/stack.js'

const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['admin', 'mgr1', 'mgr2', 'sales1', 'sales2', 'sales3'])
    tokens[user] = await t.login(user)
  tokens.outsider = await t.token({ tenantId: 'corp-other', userId: 'intruder', role: 'admin' })
})

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  patch: (path: string, body: unknown) => t.http('PATCH', path, { token: tokens[user], body }),
  put: (path: string, body: unknown) => t.http('PUT', path, { token: tokens[user], body }),
  del: (path: string) => t.http('DELETE', path, { token: tokens[user] }),
})

describe('customers', () => {
  it('creates a customer owned by the member who creates it, in their department', async () => {
    const { status, json } = await as('sales1').post('/api/customers', {
      name: '杭州云帆科技有限公司',
      category: 'A',
      phone: '+86 138-0013-8000',
    })
    expect(status).toBe(201)
    expect(json).toMatchObject({
      name: '杭州云帆科技有限公司',
      ownerId: 'sales1',
      deptId: '201',
      phone: '13800138000',
      collaboratorIds: [],
      lastFollowUpAt: null,
      poolEnteredAt: null,
      wonAmount: 0,
      version: 1,
    })
  })

  it('saves phones sent through the shared API client, as both apps send them', async () => {
    const api = t.client(tokens.sales1)
    const customer = await api.customers.create({ name: '客户端电话测试有限公司', phone: '13800138001' })
    const contact = await api.contacts.create({
      customerId: customer.id,
      name: '电话联系人',
      gender: 'unknown',
      isPrimary: false,
      mobile: '13800138002',
      officePhone: '057188886666',
    })
    const { version } = await api.customers.get(customer.id)
    const renamed = await api.customers.update(customer.id, { phone: '13800138003', version })
    expect([customer.phone, contact.mobile, contact.officePhone, renamed.phone]).toEqual([
      '13800138001',
      '13800138002',
      '057188886666',
      '13800138003',
    ])
  })

  it('rejects a phone that is neither a mobile nor a landline with area code', async () => {
    const { status, json } = await as('sales1').post('/api/customers', { name: '坏号码', phone: '12345' })
    expect(status).toBe(400)
    expect(json.error.details[0].path).toEqual(['phone'])
  })

  it('lets a member create for themselves only: a given ownerId is ignored', async () => {
    const { json } = await as('sales1').post('/api/customers', { name: '指定负责人', ownerId: 'sales2' })
    expect(json.ownerId).toBe('sales1')
  })

  it('lets a manager create a customer for a member of their department', async () => {
    const { json } = await as('mgr1').post('/api/customers', { name: '经理代建', ownerId: 'sales2' })
    expect(json).toMatchObject({ ownerId: 'sales2', deptId: '201' })
  })

  it('forbids a manager to give a customer to someone outside their departments', async () => {
    const { status } = await as('mgr1').post('/api/customers', { name: '越权', ownerId: 'sales3' })
    expect(status).toBe(403)
  })
})

describe('scope, route by route', () => {
  let mine: { id: string; version: number }
  beforeAll(async () => {
    mine = (await as('sales1').post('/api/customers', { name: '范围测试客户' })).json
  })

  it('shows the customer to its owner, its department manager and the admin', async () => {
    for (const user of ['sales1', 'mgr1', 'admin']) {
      expect((await as(user).get(`/api/customers/${mine.id}`)).status).toBe(200)
    }
  })

  it('answers 404 to another member, another department’s manager and another tenant', async () => {
    for (const user of ['sales2', 'sales3', 'mgr2', 'outsider']) {
      const { status, json } = await as(user).get(`/api/customers/${mine.id}`)
      expect(status).toBe(404)
      expect(json.error.code).toBe('customer.not_found')
    }
  })

  it('answers 404 to out-of-scope updates, releases, claims, tabs and timelines', async () => {
    for (const user of ['sales2', 'mgr2', 'outsider']) {
      const u = as(user)
      expect((await u.patch(`/api/customers/${mine.id}`, { name: 'x', version: 1 })).status).toBe(404)
      expect((await u.post(`/api/customers/${mine.id}/release`, { reason: 'x' })).status).toBe(404)
      expect((await u.post(`/api/customers/${mine.id}/claim`)).status).toBe(404)
      expect((await u.get(`/api/customers/${mine.id}/timeline`)).status).toBe(404)
      expect((await u.get(`/api/customers/${mine.id}/contacts`)).status).toBe(404)
      expect((await u.del(`/api/customers/${mine.id}`)).status).toBe(404)
    }
  })

  it('answers 403 to a member who tries to reassign, and to another department’s manager 404', async () => {
    expect((await as('sales1').post(`/api/customers/${mine.id}/assign`, { ownerId: 'sales2' })).status).toBe(
      403,
    )
    expect((await as('mgr2').post(`/api/customers/${mine.id}/assign`, { ownerId: 'sales3' })).status).toBe(
      404,
    )
  })

  it('lets a collaborator see the customer but not release it (403)', async () => {
    const { json } = await as('sales1').put(`/api/customers/${mine.id}/collaborators`, {
      collaboratorIds: ['sales2'],
    })
    expect(json.collaboratorIds).toEqual(['sales2'])
    expect((await as('sales2').get(`/api/customers/${mine.id}`)).status).toBe(200)
    expect((await as('sales2').post(`/api/customers/${mine.id}/release`, { reason: '试试' })).status).toBe(
      403,
    )
  })

  it('lists only the member’s own customers, the manager’s department’s, and everything for the admin', async () => {
    const s3 = (await as('sales3').post('/api/customers', { name: '二部的客户' })).json
    const ids = async (user: string) =>
      ((await as(user).get('/api/customers?limit=200')).json.items as { id: string }[]).map((c) => c.id)
    expect(await ids('sales1')).toContain(mine.id)
    expect(await ids('sales2')).not.toContain(mine.id)
    expect(await ids('mgr1')).toContain(mine.id)
    expect(await ids('mgr1')).not.toContain(s3.id)
    expect(await ids('mgr2')).toContain(s3.id)
    expect(await ids('admin')).toEqual(expect.arrayContaining([mine.id, s3.id]))
    expect(await ids('outsider')).toEqual([])
  })

  it('lists the customers a member assists on under collaborating=true', async () => {
    const { json } = await as('sales2').get('/api/customers?collaborating=true')
    expect(json.items.map((c: { id: string }) => c.id)).toContain(mine.id)
    const own = await as('sales2').get('/api/customers?limit=200')
    expect(own.json.items.map((c: { id: string }) => c.id)).not.toContain(mine.id)
  })

  it('keeps another member’s customers out of a member’s list even when asked by ownerId', async () => {
    const { json } = await as('sales2').get('/api/customers?ownerId=sales1')
    expect(json.items).toEqual([])
  })
})

describe('lists and counts', () => {
  it('answers the kept total with the first page, in one Query', async () => {
    const before = (await as('sales2').get('/api/customers?limit=2')).json.total
    for (const name of ['计数一', '计数二', '计数三']) await as('sales2').post('/api/customers', { name })
    const page = await as('sales2').get('/api/customers?limit=2')
    expect(ddbUsage(page.headers).calls).toBe(1)
    expect(page.json.total).toBe(before + 3)
    expect(page.json.items).toHaveLength(2)
    expect(page.json.items[0].name).toBe('计数三')
    const next = await as('sales2').get(`/api/customers?limit=2&cursor=${page.json.nextCursor}`)
    expect(next.json.items[0].name).toBe('计数一')
    expect(next.json.total).toBeNull()
  })

  it('moves the counts on delete and back on restore from the recycle bin', async () => {
    const total = async () => (await as('sales2').get('/api/customers?limit=1')).json.total as number
    const { json: c } = await as('sales2').post('/api/customers', { name: '回收站往返' })
    const before = await total()
    expect((await as('sales2').del(`/api/customers/${c.id}`)).status).toBe(204)
    expect(await total()).toBe(before - 1)
    expect((await as('sales2').get(`/api/customers/${c.id}`)).status).toBe(404)
    const restored = await as('sales2').post(`/api/recycle-bin/customers/${c.id}/restore`)
    expect(restored.status).toBe(200)
    expect(await total()).toBe(before)
  })

  it('filters by name text and category', async () => {
    await as('sales2').post('/api/customers', { name: '过滤用甲', category: 'B' })
    await as('sales2').post('/api/customers', { name: '过滤用乙', category: 'C' })
    const { json } = await as('sales2').get(`/api/customers?q=${encodeURIComponent('过滤用')}&category=B`)
    expect(json.items.map((c: { name: string }) => c.name)).toEqual(['过滤用甲'])
    expect(json.total).toBeNull()
  })
})
