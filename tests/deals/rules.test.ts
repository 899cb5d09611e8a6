import { beforeAll, describe, expect, it } from 'vitest'
import { ddbUsage, useStack } from '../helpers/stack.js'

/** Uniqueness under races, the business rules (422) and the data scope (404 / 403), route by route. */
const t = useStack()
const tokens: Record<string, string> = {}
const ids = {} as Record<'customer' | 'opportunity' | 'contract' | 'plan' | 'payment' | 'invoice', string>

beforeAll(async () => {
  for (const user of ['admin', 'mgr1', 'mgr2', 'sales1', 'sales2', 'sales3'])
    tokens[user] = await t.login(user)
  tokens.outsider = await t.token({ tenantId: 'corp-other', userId: 'intruder', role: 'admin' })
  const req = async (path: string, body: unknown) => {
    const { status, json } = await t.http('POST', path, { token: tokens.sales1, body })
    if (status !== 201) throw new Error(`${path} → ${status} ${JSON.stringify(json)}`)
    return json.id as string
  }
  ids.customer = await req('/api/customers', { name: '范围测试客户' })
  ids.opportunity = await req('/api/opportunities', {
    name: '范围测试商机',
    customerId: ids.customer,
    amount: 1000,
  })
  ids.contract = await req('/api/contracts', {
    number: 'SCOPE-1',
    name: '范围测试合同',
    customerId: ids.customer,
    amount: 1000,
    signedAt: '2026-03-01',
  })
  ids.plan = await req('/api/payment-plans', { contractId: ids.contract, dueDate: '2026-04-01', amount: 500 })
  ids.payment = await req('/api/payments', {
    contractId: ids.contract,
    receivedAt: '2026-03-02',
    amount: 100,
  })
  ids.invoice = await req('/api/invoices', {
    contractId: ids.contract,
    title: '抬头',
    amount: 100,
    issuedAt: '2026-03-03',
  })
})

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  patch: (path: string, body: unknown) => t.http('PATCH', path, { token: tokens[user], body }),
  put: (path: string, body: unknown) => t.http('PUT', path, { token: tokens[user], body }),
  del: (path: string) => t.http('DELETE', path, { token: tokens[user] }),
})

describe('contract numbers', () => {
  it('lets exactly one of many concurrent creates with one number succeed; the others get 409', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        as(i % 2 ? 'sales1' : 'admin').post('/api/contracts', {
          number: 'RACE-001',
          name: `并发 ${i}`,
          customerId: ids.customer,
          amount: 10,
          signedAt: '2026-03-01',
        }),
      ),
    )
    const statuses = attempts.map((a) => a.status).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 409)).toHaveLength(7)
    expect(attempts.find((a) => a.status === 409)!.json.error.code).toBe('contract.duplicate')
  })

  it('frees the number of a deleted contract and takes it back on restore only if still free', async () => {
    const first = await as('sales1').post('/api/contracts', {
      number: 'REUSE-1',
      name: '将删除',
      customerId: ids.customer,
      amount: 10,
      signedAt: '2026-03-01',
    })
    expect((await as('sales1').del(`/api/contracts/${first.json.id}`)).status).toBe(204)
    const second = await as('sales1').post('/api/contracts', {
      number: 'REUSE-1',
      name: '复用编号',
      customerId: ids.customer,
      amount: 10,
      signedAt: '2026-03-01',
    })
    expect(second.status).toBe(201)
    const restore = await as('sales1').post(`/api/recycle-bin/contracts/${first.json.id}/restore`)
    expect(restore.status).toBe(409)
    expect(restore.json.error.code).toBe('contract.duplicate')
  })

  it('creates a contract in one transaction after its reads', async () => {
    const { headers, status } = await as('sales1').post('/api/contracts', {
      number: 'CALLS-1',
      name: '调用次数',
      customerId: ids.customer,
      amount: 10,
      signedAt: '2026-03-01',
    })
    expect(status).toBe(201)
    // the customer (scope), then one TransactWriteItems: the approval flows (审批: does one govern it?)
    // are held by the warm instance (core/settings-cache.ts)
    expect(ddbUsage(headers).calls).toBe(2)
  })
})

describe('business rules', () => {
  it('refuses an opportunity in a stage that does not exist (422)', async () => {
    const { status, json } = await as('sales1').post('/api/opportunities', {
      name: 'x',
      customerId: ids.customer,
      stageId: 'nope',
    })
    expect(status).toBe(422)
    expect(json.error.code).toBe('stage.not_found')
  })

  it('marks an opportunity lost with a reason and clears the reason when it is reopened', async () => {
    const { json: o } = await as('sales1').post('/api/opportunities', {
      name: '输单商机',
      customerId: ids.customer,
    })
    const lost = await as('sales1').post(`/api/opportunities/${o.id}/stage`, {
      stageId: 'lost',
      lostReason: '价格',
    })
    expect(lost.json).toMatchObject({ stageId: 'lost', lostReason: '价格' })
    const reopened = await as('sales1').post(`/api/opportunities/${o.id}/stage`, { stageId: 's2' })
    expect(reopened.json.lostReason).toBeUndefined()
  })

  it('refuses a contract amount below what was already invoiced (422)', async () => {
    const { json: c } = await as('sales1').get(`/api/contracts/${ids.contract}`)
    const { status, json } = await as('sales1').patch(`/api/contracts/${ids.contract}`, {
      amount: 50,
      version: c.version,
    })
    expect(status).toBe(422)
    expect(json.error.code).toBe('contract.amount_below_invoiced')
  })

  it('recomputes the outstanding amount when the contract amount changes', async () => {
    const { json: c } = await as('sales1').get(`/api/contracts/${ids.contract}`)
    const { json } = await as('sales1').patch(`/api/contracts/${ids.contract}`, {
      amount: 2000,
      version: c.version,
    })
    expect(json).toMatchObject({ amount: 2000, receivedAmount: 100, outstandingAmount: 1900 })
  })

  it('answers 409 to a contract edit that read a version a payment has since moved on', async () => {
    const { json: c } = await as('sales1').get(`/api/contracts/${ids.contract}`)
    await as('sales1').post('/api/payments', {
      contractId: ids.contract,
      receivedAt: '2026-03-05',
      amount: 1,
    })
    const { status } = await as('sales1').patch(`/api/contracts/${ids.contract}`, {
      name: '旧版本',
      version: c.version,
    })
    expect(status).toBe(409)
  })

  it('refuses a payment plan date change once the plan has payments (422)', async () => {
    await as('sales1').post('/api/payments', {
      contractId: ids.contract,
      planId: ids.plan,
      receivedAt: '2026-03-07',
      amount: 10,
    })
    const { json: p } = await as('sales1').get(`/api/payment-plans/${ids.plan}`)
    const { status, json } = await as('sales1').patch(`/api/payment-plans/${ids.plan}`, {
      dueDate: '2026-05-01',
      version: p.version,
    })
    expect(status).toBe(422)
    expect(json.error.code).toBe('plan.has_payments')
  })

  it('accepts a payment beyond the contract amount once the admin allows overpayment', async () => {
    const { json: loaded } = await as('admin').get('/api/settings/deals')
    const allow = { allowOverpayment: true, version: loaded.version }
    expect((await as('sales1').put('/api/settings/deals', allow)).status).toBe(403)
    const allowed = await as('admin').put('/api/settings/deals', allow)
    expect(allowed.status).toBe(200)
    const { status } = await as('sales1').post('/api/payments', {
      contractId: ids.contract,
      receivedAt: '2026-03-06',
      amount: 5000,
    })
    expect(status).toBe(201)
    const { json } = await as('sales1').get(`/api/contracts/${ids.contract}`)
    expect(json.outstandingAmount).toBe(2000 - 100 - 1 - 10 - 5000)
    await as('admin').put('/api/settings/deals', { allowOverpayment: false, version: allowed.json.version })
  })
})

describe('stage settings', () => {
  it('lists the default stages of API.md', async () => {
    const { json } = await as('sales1').get('/api/settings/stages')
    expect(json.map((s: { name: string; probability: number }) => `${s.name} ${s.probability}`)).toEqual([
      '初步沟通 10',
      '见面拜访 20',
      '确定意向 30',
      '商务谈判 90',
      '赢单 100',
      '输单 0',
    ])
  })

  it('renames and reorders stages without touching opportunities or their history', async () => {
    const { json: stages } = await as('admin').get('/api/settings/stages')
    const renamed = stages.map((s: { id: string; name: string; order: number }) =>
      s.id === 's1' ? { ...s, name: '线索确认', order: 3 } : s.id === 's3' ? { ...s, order: 1 } : s,
    )
    const { status } = await as('admin').put('/api/settings/stages', [
      ...renamed.filter((s: { id: string }) => s.id !== 's2'),
      { name: '方案报价', probability: 50, order: 4, kind: 'open' },
    ])
    expect(status).toBe(200)
    const opportunity = await as('sales1').get(`/api/opportunities/${ids.opportunity}`)
    expect(opportunity.json.stageId).toBe('s1')
    const history = await as('sales1').get(`/api/opportunities/${ids.opportunity}/stages`)
    expect(history.json.items[0]).toMatchObject({ stageId: 's1', name: '线索确认' })
    const { json: now } = await as('sales1').get('/api/settings/stages')
    expect(now.map((s: { id: string }) => s.id)).not.toContain('s2')
    expect(now.find((s: { name: string }) => s.name === '方案报价').id).toMatch(/^[0-9A-Z]{26}$/)
  })

  it('refuses a stage list without exactly one won and one lost stage (422), and members may not edit it (403)', async () => {
    const open = { name: 'A', probability: 10, order: 1, kind: 'open' }
    const won = { name: 'W', probability: 100, order: 2, kind: 'won' }
    const { status, json } = await as('admin').put('/api/settings/stages', [
      open,
      won,
      { ...won, name: 'W2' },
    ])
    expect(status).toBe(422)
    expect(json.error.code).toBe('stage.invalid')
    expect(
      (await as('sales1').put('/api/settings/stages', [open, won, { ...open, name: 'L', kind: 'lost' }]))
        .status,
    ).toBe(403)
  })
})

describe('data scope, route by route', () => {
  const routes = () =>
    [
      ['opportunities', ids.opportunity],
      ['contracts', ids.contract],
      ['payment-plans', ids.plan],
      ['payments', ids.payment],
      ['invoices', ids.invoice],
    ] as const

  it('answers 404 to a colleague, a manager of another department and another tenant', async () => {
    for (const [path, id] of routes()) {
      for (const user of ['sales2', 'sales3', 'mgr2', 'outsider']) {
        const { status, json } = await as(user).get(`/api/${path}/${id}`)
        expect(status, `${user} GET ${path}`).toBe(404)
        expect(json.error.code).toMatch(/\.not_found$/)
        expect(
          (await as(user).patch(`/api/${path}/${id}`, { version: 1 })).status,
          `${user} PATCH ${path}`,
        ).toBe(404)
        expect((await as(user).del(`/api/${path}/${id}`)).status, `${user} DELETE ${path}`).toBe(404)
      }
    }
  })

  it('shows the records to the owner, the manager of their department and the admin', async () => {
    for (const [path, id] of routes()) {
      for (const user of ['sales1', 'mgr1', 'admin']) {
        expect((await as(user).get(`/api/${path}/${id}`)).status, `${user} GET ${path}`).toBe(200)
      }
    }
  })

  it('lists a member only their own records, a manager their department’s, without others', async () => {
    for (const [path, id] of routes()) {
      const mine = await as('sales1').get(`/api/${path}?limit=200`)
      expect(
        mine.json.items.map((r: { id: string }) => r.id),
        path,
      ).toContain(id)
      for (const user of ['sales2', 'mgr2']) {
        const theirs = await as(user).get(`/api/${path}?limit=200`)
        expect(
          theirs.json.items.map((r: { id: string }) => r.id),
          `${user} ${path}`,
        ).not.toContain(id)
      }
      expect(
        (await as('mgr1').get(`/api/${path}?limit=200`)).json.items.map((r: { id: string }) => r.id),
      ).toContain(id)
    }
  })

  it('shows a child record to whoever sees its customer, even when someone else owns the record', async () => {
    const { json: customer } = await as('sales2').post('/api/customers', { name: '同事的客户' })
    const { json: opportunity } = await as('mgr1').post('/api/opportunities', {
      name: '经理代建商机',
      customerId: customer.id,
      ownerId: 'sales1',
    })
    expect(opportunity.ownerId).toBe('sales1')
    expect((await as('sales2').get(`/api/opportunities/${opportunity.id}`)).status).toBe(200)
    const tab = await as('sales2').get(`/api/opportunities?customerId=${customer.id}`)
    expect(tab.json.items.map((o: { id: string }) => o.id)).toEqual([opportunity.id])
    expect((await as('sales3').get(`/api/opportunities?customerId=${customer.id}`)).status).toBe(404)
  })

  it('forbids a member to reassign their contract (403) and lets their manager do it', async () => {
    const { json: c } = await as('sales1').get(`/api/contracts/${ids.contract}`)
    const denied = await as('sales1').patch(`/api/contracts/${ids.contract}`, {
      ownerId: 'sales2',
      version: c.version,
    })
    expect(denied.status).toBe(403)
    const moved = await as('mgr1').patch(`/api/contracts/${ids.contract}`, {
      ownerId: 'sales2',
      version: c.version,
    })
    expect(moved.status).toBe(200)
    expect(moved.json.ownerId).toBe('sales2')
    expect(
      (
        await as('mgr2').patch(`/api/contracts/${ids.contract}`, {
          ownerId: 'sales3',
          version: moved.json.version,
        })
      ).status,
    ).toBe(404)
  })

  it('forbids members to set targets (403)', async () => {
    const { status } = await as('sales1').post('/api/targets', {
      scope: 'user',
      subjectId: 'sales1',
      metric: 'paymentAmount',
      year: 2026,
      months: Array(12).fill(1),
    })
    expect(status).toBe(403)
  })
})

describe('the typed client', () => {
  it('creates a contract and reads the briefing in fen through the shared client', async () => {
    const api = t.client(tokens.sales2)
    const { id: customerId } = await api.request<{ id: string }>('POST', '/api/customers', {
      body: { name: '客户端客户' },
    })
    const contract = await api.contracts.create({
      number: 'CLIENT-1',
      name: '客户端合同',
      customerId,
      type: 'service',
      amount: 123456, // fen
      signedAt: '2026-02-03',
    })
    expect(contract).toMatchObject({ amount: 123456, outstandingAmount: 123456, receivedAmount: 0 })
    const briefing = await api.reports.briefing({ from: '2026-02-01', to: '2026-02-28' })
    expect(briefing.contractAmount).toBe(123456)
  })
})
