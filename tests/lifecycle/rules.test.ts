import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { nowIso } from '../../functions/core/clock.js'
import { forgetSettings } from '../../functions/core/settings-cache.js'
import { commit } from '../../functions/db/commit.js'
import { PoolSettingsEntity } from '../../functions/db/entities/lifecycle.js'
import { forgetDirectory } from '../../functions/domain/directory/sessions.js'
import { settingsSavedWrite } from '../../functions/domain/directory/tenants.js'
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

async function setRules(rules: Record<string, unknown>) {
  const current = (await as('admin').get('/api/settings/pool')).json
  const { status, json } = await t.http('PUT', '/api/settings/pool', {
    token: tokens.admin,
    body: { ...current, ...rules },
  })
  expect(status).toBe(200)
  return json
}
afterEach(() =>
  setRules({
    uniqueCustomerNames: false,
    maskPoolPhones: false,
    holdingCap: null,
    holdingCapExcludesWon: false,
  }),
)

const total = async (user: string) => (await as(user).get('/api/customers?limit=1')).json.total as number

describe('no duplicate customer names (tenant rule)', () => {
  it('refuses a customer whose normalized name another one has with 409 customer.duplicate, writing nothing', async () => {
    await setRules({ uniqueCustomerNames: true })
    expect((await as('sales1').post('/api/customers', { name: '杭州明达科技有限公司' })).status).toBe(201)
    const before = await total('sales2')
    const again = await as('sales2').post('/api/customers', { name: ' 杭州明达科技（中国）集团 ' })
    expect(again.status).toBe(409)
    expect(again.json.error.code).toBe('customer.duplicate')
    expect(again.json.error.message).toContain('同名')
    expect(await total('sales2')).toBe(before)
  })

  it('allows duplicate names while the rule is off (the default)', async () => {
    expect((await as('sales1').post('/api/customers', { name: '重名允许公司' })).status).toBe(201)
    expect((await as('sales2').post('/api/customers', { name: '重名允许' })).status).toBe(201)
  })

  it('refuses it also for the pool and for a lead converted into a customer', async () => {
    await setRules({ uniqueCustomerNames: true })
    await as('sales1').post('/api/customers', { name: '西湖茶业有限公司' })
    const pooled = await as('mgr1').post('/api/pool', { name: '西湖茶业' })
    expect(pooled.json.error.code).toBe('customer.duplicate')
    const lead = (
      await as('mgr1').post('/api/leads', { title: '茶叶线索', companyName: '西湖茶业股份有限公司' })
    ).json
    const converted = await as('mgr1').post(`/api/leads/${lead.id}/convert`, {})
    expect(converted.status).toBe(409)
    expect(converted.json.error.code).toBe('customer.duplicate')
    expect((await as('mgr1').get(`/api/leads/${lead.id}`)).json.status).not.toBe('converted')
  })

  it('refuses a rename to a taken name but not one that keeps the normalized name', async () => {
    await setRules({ uniqueCustomerNames: true })
    await as('sales1').post('/api/customers', { name: '钱塘物流有限公司' })
    const { json: mine } = await as('sales2').post('/api/customers', { name: '滨江物流' })
    const taken = await as('sales2').patch(`/api/customers/${mine.id}`, { name: '钱塘物流', version: 1 })
    expect(taken.status).toBe(409)
    expect(taken.json.error.code).toBe('customer.duplicate')
    const same = await as('sales2').patch(`/api/customers/${mine.id}`, {
      name: '滨江物流有限公司',
      version: 1,
    })
    expect(same.status).toBe(200)
  })

  it('gives a name to exactly one of 10 racing creates; the others get 409 customer.duplicate', async () => {
    await setRules({ uniqueCustomerNames: true })
    const results = await Promise.all(
      Array.from({ length: 10 }, () => as('sales1').post('/api/customers', { name: '抢注名称有限公司' })),
    )
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)])
    expect(
      results.filter((r) => r.status === 409).every((r) => r.json.error.code === 'customer.duplicate'),
    ).toBe(true)
  })

  it('frees the name on delete and takes it again on restore', async () => {
    await setRules({ uniqueCustomerNames: true })
    const { json: first } = await as('sales1').post('/api/customers', { name: '回收名称公司' })
    await as('sales1').del(`/api/customers/${first.id}`)
    const { json: second } = await as('sales2').post('/api/customers', { name: '回收名称' })
    expect(second.id).toBeTruthy()
    await as('sales2').del(`/api/customers/${second.id}`)
    expect((await as('sales1').post(`/api/recycle-bin/customers/${first.id}/restore`)).status).toBe(200)
    expect((await as('sales2').post('/api/customers', { name: '回收名称' })).json.error.code).toBe(
      'customer.duplicate',
    )
  })

  it('restores a customer whose name was taken meanwhile, and keeps the name taken until both are gone', async () => {
    await setRules({ uniqueCustomerNames: true })
    const { json: old } = await as('sales1').post('/api/customers', { name: '双份名称' })
    await as('sales1').del(`/api/customers/${old.id}`)
    const { json: taker } = await as('sales2').post('/api/customers', { name: '双份名称' })
    expect((await as('sales1').post(`/api/recycle-bin/customers/${old.id}/restore`)).status).toBe(200)
    await as('sales2').del(`/api/customers/${taker.id}`)
    expect((await as('sales3').post('/api/customers', { name: '双份名称' })).status).toBe(409)
    await as('sales1').del(`/api/customers/${old.id}`)
    expect((await as('sales3').post('/api/customers', { name: '双份名称' })).status).toBe(201)
  })

  it('checks the rule only when a name is set: an edit of other fields reads no rules', async () => {
    await setRules({ uniqueCustomerNames: true })
    const { json: c } = await as('sales1').post('/api/customers', { name: '只改备注' })
    // with no settings held by the instance: the customer, the approval flows (审批), one TransactWriteItems
    forgetSettings(DEMO_CORP_ID)
    const res = await as('sales1').patch(`/api/customers/${c.id}`, { remark: '备注', version: 1 })
    expect(ddbUsage(res.headers).calls).toBe(3)
  })

  it("applies another instance's save of the rules at this instance's next session check", async () => {
    const current = (await as('sales1').post('/api/customers', { name: '别处保存的规则' })).json
    expect(current.id).toBeTruthy() // the rules (off) are now held
    const { json: rules } = await as('admin').get('/api/settings/pool')
    // another instance saves: the rules item and the tenant's settings version, nothing forgotten here
    await commit([
      {
        action: PoolSettingsEntity.build(PutTransaction).item({
          tenantId: DEMO_CORP_ID,
          settings: { ...rules, version: undefined, uniqueCustomerNames: true },
          updatedAt: nowIso(),
          updatedBy: 'admin',
          version: rules.version + 1,
        }),
      },
      settingsSavedWrite(DEMO_CORP_ID),
    ])
    forgetDirectory(DEMO_CORP_ID) // the session check's window is over
    const again = await as('sales2').post('/api/customers', { name: '别处保存的规则' })
    expect(again.status).toBe(409)
  })
})

describe('masked pool phones (tenant rule)', () => {
  async function pooledWithContact(name: string) {
    const { json: c } = await as('mgr1').post('/api/pool', { name, phone: '13812345678' })
    await as('mgr1').post('/api/contacts', { customerId: c.id, name: '王经理', mobile: '13987654321' })
    return c as { id: string }
  }

  it('shows members a pool customer’s phone as 138****5678 in the pool, the detail and its contacts', async () => {
    await setRules({ maskPoolPhones: true })
    const c = await pooledWithContact('号码保护客户')
    const pool = await as('sales1').get('/api/pool?limit=200')
    expect(pool.json.items.find((i: { id: string }) => i.id === c.id).phone).toBe('138****5678')
    expect((await as('sales1').get(`/api/customers/${c.id}`)).json.phone).toBe('138****5678')
    const contacts = await as('sales1').get(`/api/customers/${c.id}/contacts`)
    expect(contacts.json.items[0].mobile).toBe('139****4321')
  })

  it('shows the owner the whole number once they have claimed the customer', async () => {
    await setRules({ maskPoolPhones: true })
    const c = await pooledWithContact('领取后可见')
    const claimed = await as('sales2').post(`/api/customers/${c.id}/claim`)
    expect(claimed.json.phone).toBe('13812345678')
    expect((await as('sales2').get(`/api/customers/${c.id}`)).json.phone).toBe('13812345678')
    const contacts = await as('sales2').get(`/api/customers/${c.id}/contacts`)
    expect(contacts.json.items[0].mobile).toBe('13987654321')
  })

  it('shows managers and admins, who manage the pool, the whole number', async () => {
    await setRules({ maskPoolPhones: true })
    const c = await pooledWithContact('经理可见')
    for (const user of ['mgr1', 'admin']) {
      expect((await as(user).get(`/api/customers/${c.id}`)).json.phone).toBe('13812345678')
    }
  })

  it('shows members whole numbers while the rule is off', async () => {
    const c = await pooledWithContact('未开启保护')
    expect((await as('sales1').get(`/api/customers/${c.id}`)).json.phone).toBe('13812345678')
  })
})

describe('holding cap without closed-won customers (pool rule)', () => {
  /** A member of 销售一部 holding `open` customers and `won` customers with a signed contract. */
  async function holder(userId: string, { open, won }: { open: number; won: number }) {
    tokens[userId] = await t.token({ tenantId: DEMO_CORP_ID, userId, deptIds: ['201'] })
    for (let i = 0; i < open + won; i++) {
      const { json: c } = await as(userId).post('/api/customers', { name: `${userId}客户${i}` })
      if (i < won) {
        const contract = await as(userId).post('/api/contracts', {
          number: `${userId}-${i}`,
          name: '成交合同',
          customerId: c.id,
          amount: 100,
          signedAt: '2026-05-01',
        })
        expect(contract.status).toBe(201)
      }
    }
  }
  const poolCustomer = async (name: string) =>
    (await as('mgr1').post('/api/pool', { name })).json.id as string

  it('lets a member with won customers claim up to the cap counting only the others', async () => {
    await holder('capper1', { open: 1, won: 2 })
    await setRules({ holdingCap: 2, holdingCapExcludesWon: true })
    expect((await as('capper1').post(`/api/customers/${await poolCustomer('上限甲')}/claim`)).status).toBe(
      200,
    )
    const over = await as('capper1').post(`/api/customers/${await poolCustomer('上限乙')}/claim`)
    expect(over.status).toBe(422)
    expect(over.json.error.code).toBe('pool.holding_cap_reached')
    expect(over.json.error.message).toContain('未成交')
  })

  it('counts won customers against the cap while the setting is off', async () => {
    await holder('capper2', { open: 1, won: 1 })
    await setRules({ holdingCap: 2, holdingCapExcludesWon: false })
    const over = await as('capper2').post(`/api/customers/${await poolCustomer('上限丙')}/claim`)
    expect(over.json.error.code).toBe('pool.holding_cap_reached')
  })

  it('lets a member at the cap claim a pool customer that was already won', async () => {
    await holder('capper3', { open: 2, won: 0 })
    tokens.capper4 = await t.token({ tenantId: DEMO_CORP_ID, userId: 'capper4', deptIds: ['201'] })
    await holder('capper4', { open: 0, won: 1 })
    const wonOne = (await as('capper4').get('/api/customers')).json.items[0].id
    await as('capper4').post(`/api/customers/${wonOne}/release`, { reason: '交给别人维护' })
    await setRules({ holdingCap: 2, holdingCapExcludesWon: true })
    expect((await as('capper3').post(`/api/customers/${await poolCustomer('上限丁')}/claim`)).status).toBe(
      422,
    )
    const claimed = await as('capper3').post(`/api/customers/${wonOne}/claim`)
    expect(claimed.status).toBe(200)
    expect(claimed.json.wonAmount).toBe(100)
  })
})
