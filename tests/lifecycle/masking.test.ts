import Papa from 'papaparse'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'

/**
 * 公海号码保护 on every path that answers a pool customer's or its contacts' numbers: a member sees them
 * masked while the customer is in the pool and whole once they have claimed it.
 */
const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['admin', 'mgr1', 'sales1', 'sales2']) tokens[user] = await t.login(user)
})

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  patch: (path: string, body: unknown) => t.http('PATCH', path, { token: tokens[user], body }),
})

async function setMasking(maskPoolPhones: boolean) {
  const current = (await as('admin').get('/api/settings/pool')).json
  const { status } = await t.http('PUT', '/api/settings/pool', {
    token: tokens.admin,
    body: { ...current, maskPoolPhones },
  })
  expect(status).toBe(200)
}
beforeAll(() => setMasking(true))
afterEach(() => setMasking(true))

const PHONE = '13812345678'
const MOBILE = '13987654321'
const OFFICE = '057188886666'
const MASKED = { phone: '138****5678', mobile: '139****4321', officePhone: '057****6666' }

interface Fixture {
  id: string
  name: string
  contactId: string
}

/** A pool customer whose phone was changed (a timeline entry), with one contact. */
async function pooled(name: string): Promise<Fixture> {
  const { json: c } = await as('mgr1').post('/api/pool', { name, phone: '13800000000' })
  const changed = await as('mgr1').patch(`/api/customers/${c.id}`, { phone: PHONE, version: c.version })
  expect(changed.status).toBe(200)
  const { json: contact } = await as('mgr1').post('/api/contacts', {
    customerId: c.id,
    name: '王经理',
    mobile: MOBILE,
    officePhone: OFFICE,
  })
  return { id: c.id, name, contactId: contact.id }
}

const claim = async (user: string, c: Fixture) =>
  expect((await as(user).post(`/api/customers/${c.id}/claim`)).status).toBe(200)

/** The rows of a CSV export as objects by header. */
async function exported(user: string, path: string): Promise<Record<string, string>[]> {
  const response = await fetch(t.baseUrl + path, { headers: { authorization: `Bearer ${tokens[user]}` } })
  expect(response.status).toBe(200)
  const text = (await response.text()).replace(/^\uFEFF/, '')
  return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data
}

describe('masked pool phones on every path', () => {
  it('masks a pool customer’s contact in GET /api/contacts/{id} for a member, and shows it whole once claimed', async () => {
    const c = await pooled('单个联系人保护')
    const masked = (await as('sales1').get(`/api/contacts/${c.contactId}`)).json
    expect([masked.mobile, masked.officePhone]).toEqual([MASKED.mobile, MASKED.officePhone])
    await claim('sales1', c)
    const whole = (await as('sales1').get(`/api/contacts/${c.contactId}`)).json
    expect([whole.mobile, whole.officePhone]).toEqual([MOBILE, OFFICE])
  })

  it('masks the contacts list filtered to a pool customer for a member, and shows it whole once claimed', async () => {
    const c = await pooled('联系人列表保护')
    const masked = (await as('sales1').get(`/api/contacts?customerId=${c.id}`)).json
    expect(masked.items.map((i: { mobile: string }) => i.mobile)).toEqual([MASKED.mobile])
    await claim('sales1', c)
    const whole = (await as('sales1').get(`/api/contacts?customerId=${c.id}`)).json
    expect(whole.items.map((i: { mobile: string }) => i.mobile)).toEqual([MOBILE])
  })

  it('lets a member find a pool customer’s contact by name or the whole mobile in the contacts list, never by part of its digits', async () => {
    const c = await pooled('联系人号码搜索保护')
    const found = async (q: string) =>
      (await as('sales1').get(`/api/contacts?customerId=${c.id}&q=${encodeURIComponent(q)}`)).json.items.map(
        (i: { id: string }) => i.id,
      )
    expect(await found(MOBILE.slice(3, 8))).toEqual([])
    expect(await found(MOBILE.slice(0, 10))).toEqual([])
    expect(await found(MOBILE)).toEqual([c.contactId])
    expect(await found('王经理')).toEqual([c.contactId])
  })

  it('masks a member’s own contact in their contacts list while its customer is back in the pool', async () => {
    const c = await pooled('自建联系人保护')
    await claim('sales2', c)
    const { json: mine } = await as('sales2').post('/api/contacts', {
      customerId: c.id,
      name: '李总',
      mobile: '13711112222',
    })
    const own = async () =>
      (await as('sales2').get('/api/contacts?limit=200')).json.items.find(
        (i: { id: string }) => i.id === mine.id,
      ).mobile
    expect(await own()).toBe('13711112222')
    await as('sales2').post(`/api/customers/${c.id}/release`, { reason: '暂无需求' })
    expect(await own()).toBe('137****2222')
  })

  it('masks phone changes in a pool customer’s timeline for a member, and shows them whole once claimed', async () => {
    const c = await pooled('动态号码保护')
    const phoneChange = async () => {
      const { json } = await as('sales1').get(`/api/customers/${c.id}/timeline`)
      return json.items
        .flatMap((a: { changes?: { field: string }[] }) => a.changes ?? [])
        .find((change: { field: string }) => change.field === 'phone')
    }
    expect(await phoneChange()).toEqual({ field: 'phone', from: '138****0000', to: MASKED.phone })
    await claim('sales1', c)
    expect(await phoneChange()).toEqual({ field: 'phone', from: '13800000000', to: PHONE })
  })

  it('masks the pool export for a member, and the customers export shows the number once claimed', async () => {
    const c = await pooled('导出号码保护')
    const pool = await exported('sales1', `/api/exports/pool?format=csv&q=${encodeURIComponent(c.name)}`)
    expect(pool.map((r) => r['电话'])).toEqual([MASKED.phone])
    await claim('sales1', c)
    const mine = await exported('sales1', `/api/exports/customers?format=csv&q=${encodeURIComponent(c.name)}`)
    expect(mine.map((r) => r['电话'])).toEqual([PHONE])
  })

  it('masks the contacts export of a pool customer for a member, and shows it whole once claimed', async () => {
    const c = await pooled('导出联系人保护')
    const path = `/api/exports/contacts?format=csv&customerId=${c.id}`
    expect((await exported('sales1', path)).map((r) => [r['手机'], r['办公电话']])).toEqual([
      [MASKED.mobile, MASKED.officePhone],
    ])
    await claim('sales1', c)
    expect((await exported('sales1', path)).map((r) => [r['手机'], r['办公电话']])).toEqual([
      [MOBILE, OFFICE],
    ])
  })

  it('answers a member who releases a customer with its number masked, as the pool shows it', async () => {
    const c = await pooled('退回后保护')
    await claim('sales1', c)
    const released = await as('sales1').post(`/api/customers/${c.id}/release`, { reason: '无意向' })
    expect(released.json.phone).toBe(MASKED.phone)
  })

  it('shows managers every one of these paths whole', async () => {
    const c = await pooled('经理全部可见')
    expect((await as('mgr1').get(`/api/contacts/${c.contactId}`)).json.mobile).toBe(MOBILE)
    const { json } = await as('mgr1').get(`/api/customers/${c.id}/timeline`)
    const changes = json.items.flatMap((a: { changes?: unknown[] }) => a.changes ?? [])
    expect(changes).toContainEqual({ field: 'phone', from: '13800000000', to: PHONE })
    const pool = await exported('mgr1', `/api/exports/pool?format=csv&q=${encodeURIComponent(c.name)}`)
    expect(pool.map((r) => r['电话'])).toEqual([PHONE])
  })

  it('shows members the whole numbers on these paths while the rule is off', async () => {
    await setMasking(false)
    const c = await pooled('规则关闭可见')
    expect((await as('sales1').get(`/api/contacts/${c.contactId}`)).json.mobile).toBe(MOBILE)
    const { json } = await as('sales1').get(`/api/customers/${c.id}/timeline`)
    const changes = json.items.flatMap((a: { changes?: unknown[] }) => a.changes ?? [])
    expect(changes).toContainEqual({ field: 'phone', from: '13800000000', to: PHONE })
  })
})
