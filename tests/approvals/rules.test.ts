import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setClock } from '../../functions/core/clock.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'

/**
 * The rules of approvals that hold under pressure: one outcome per step when ten approvers click at
 * once, approve against withdraw, payments that move their contract only once approved (and the
 * over-payment rule again at approval), who may still decide, and merges that carry pending approvals.
 */
const t = useStack()
const tokens: Record<string, string> = {}
const FINANCE = Array.from({ length: 10 }, (_, i) => `fin${i}`)

beforeAll(async () => {
  setClock(() => Date.parse('2026-05-20T10:00:00+08:00'))
  for (const user of ['admin', 'mgr1', 'mgr2', 'sales1']) tokens[user] = await t.login(user)
  for (const id of FINANCE)
    tokens[id] = await t.token({ tenantId: DEMO_CORP_ID, userId: id, name: `财务${id.slice(3)}` })
  const flows = [
    {
      name: '十人或签',
      collection: 'contracts',
      on: 'create',
      condition: { field: 'amount', op: 'gte', value: 1000000 },
      steps: [{ approver: { type: 'users', userIds: FINANCE }, mode: 'or' }],
    },
    {
      name: '中额合同',
      collection: 'contracts',
      on: 'create',
      condition: { field: 'amount', op: 'gte', value: 500000 },
      steps: [{ approver: { type: 'users', userIds: ['mgr1'] }, mode: 'or' }],
    },
    {
      name: '现金回款',
      collection: 'payments',
      on: 'create',
      condition: { field: 'method', op: 'eq', value: 'cash' },
      steps: [{ approver: { type: 'users', userIds: ['mgr1'] }, mode: 'or' }],
    },
    {
      name: 'A 类客户',
      collection: 'customers',
      on: 'create',
      condition: { field: 'category', op: 'in', value: ['A'] },
      steps: [{ approver: { type: 'users', userIds: ['mgr1'] }, mode: 'or' }],
    },
    {
      name: '重要商机',
      collection: 'opportunities',
      on: 'create',
      condition: { field: 'importance', op: 'eq', value: 'high' },
      steps: [{ approver: { type: 'role', role: 'manager' }, mode: 'and' }],
    },
  ]
  const saved = await as('admin').put('/api/settings/approvals', { version: 0, flows })
  if (saved.status !== 200) throw new Error(JSON.stringify(saved.json))
})
afterAll(() => setClock(undefined))

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  put: (path: string, body: unknown) => t.http('PUT', path, { token: tokens[user], body }),
})

let n = 0
async function contract(amount: number, customerId?: string) {
  const customer =
    customerId ?? (await as('sales1').post('/api/customers', { name: `规则客户${++n}` })).json.id
  const { json } = await as('sales1').post('/api/contracts', {
    number: `R-${++n}`,
    name: `合同${n}`,
    customerId: customer,
    amount,
    signedAt: '2026-05-19',
  })
  return { customerId: customer, contract: json, approvalId: json.approval?.id as string }
}
const contractOf = async (id: string) => (await as('sales1').get(`/api/contracts/${id}`)).json

describe('races', () => {
  it('takes exactly one decision when ten 或签 approvers approve at once; the others get 409', async () => {
    const { approvalId, contract: c } = await contract(1200000)
    const answers = await Promise.all(
      FINANCE.map((id) => as(id).post(`/api/approvals/${approvalId}/approve`)),
    )
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1)
    expect(answers.filter((a) => a.status !== 200).map((a) => a.json.error.code)).toEqual(
      Array(9).fill('approval.already_decided'),
    )
    const { json } = await as('admin').get(`/api/approvals/${approvalId}`)
    expect(json).toMatchObject({ status: 'approved' })
    expect(json.steps[0].decisions).toHaveLength(1)
    expect((await contractOf(c.id)).approval.status).toBe('approved')
  })

  it('lets one of approve and withdraw win, and the record follows the winner', async () => {
    for (let round = 0; round < 3; round++) {
      const { approvalId, contract: c, customerId } = await contract(600000)
      const [approve, withdraw] = await Promise.all([
        as('mgr1').post(`/api/approvals/${approvalId}/approve`),
        as('sales1').post(`/api/approvals/${approvalId}/withdraw`),
      ])
      expect([approve.status, withdraw.status].sort()).toEqual([200, 409])
      const won = approve.status === 200 ? 'approved' : 'withdrawn'
      expect((await contractOf(c.id)).approval.status).toBe(won)
      const customer = (await as('sales1').get(`/api/customers/${customerId}`)).json
      expect(customer.wonAmount).toBe(won === 'approved' ? 600000 : 0)
    }
  })
})

describe('payments and invoices under approval', () => {
  it('moves the contract’s received amount only once approved, and checks over-payment again then', async () => {
    const { contract: c } = await contract(100000)
    const pay = (amount: number) =>
      as('sales1').post('/api/payments', {
        contractId: c.id,
        receivedAt: '2026-05-19',
        method: 'cash',
        amount,
      })
    const first = await pay(80000)
    const second = await pay(80000)
    expect([first.json.approval.status, second.json.approval.status]).toEqual(['pending', 'pending'])
    expect(await contractOf(c.id)).toMatchObject({ receivedAmount: 0, outstandingAmount: 100000 })
    expect((await pay(120000)).json.error.code).toBe('payment.exceeds_contract')
    expect((await as('mgr1').post(`/api/approvals/${first.json.approval.id}/approve`)).status).toBe(200)
    expect(await contractOf(c.id)).toMatchObject({ receivedAmount: 80000, outstandingAmount: 20000 })
    const late = await as('mgr1').post(`/api/approvals/${second.json.approval.id}/approve`)
    expect(late.json.error.code).toBe('payment.exceeds_contract')
    expect((await as('mgr1').get(`/api/approvals/${second.json.approval.id}`)).json.status).toBe('pending')
  })
})

describe('who may decide', () => {
  it('checks the role at the moment of the decision', async () => {
    const customerId = (await as('sales1').post('/api/customers', { name: '商机审批客户' })).json.id
    const { json: opp } = await as('sales1').post('/api/opportunities', {
      name: '重要商机',
      customerId,
      importance: 'high',
      amount: 1000,
    })
    const approval = (await as('mgr1').get(`/api/approvals/${opp.approval.id}`)).json
    expect(approval.steps[0].approverIds.sort()).toEqual(['mgr1', 'mgr2'])
    expect((await as('admin').put('/api/users/mgr2/role', { role: 'member' })).status).toBe(200)
    expect((await as('mgr2').post(`/api/approvals/${opp.approval.id}/approve`)).status).toBe(403)
    expect((await as('mgr1').post(`/api/approvals/${opp.approval.id}/approve`)).json.status).toBe('pending')
    await as('admin').put('/api/users/mgr2/role', { role: 'manager' })
    expect((await as('mgr2').post(`/api/approvals/${opp.approval.id}/approve`)).json.status).toBe('approved')
  })
})

describe('merges', () => {
  it('carries a source’s pending approvals: its contract’s steps show in the target’s 动态', async () => {
    const target = (await as('sales1').post('/api/customers', { name: '合并目标' })).json.id
    const { customerId: source, approvalId } = await contract(700000)
    const merged = await as('sales1').post('/api/customers/merge', {
      targetId: target,
      sourceIds: [source],
      fields: {},
    })
    expect(merged.status).toBe(200)
    await as('mgr1').post(`/api/approvals/${approvalId}/approve`)
    const { json } = await as('sales1').get(`/api/customers/${target}/timeline?limit=50`)
    expect(json.items.map((a: { action: string }) => a.action)).toContain('approval.approved')
    expect((await as('sales1').get(`/api/customers/${target}`)).json.wonAmount).toBe(700000)
  })

  it('carries a source customer’s own pending approval to the target', async () => {
    const target = (await as('sales1').post('/api/customers', { name: '合并目标二' })).json.id
    const { json: source } = await as('sales1').post('/api/customers', { name: 'A 类来源', category: 'A' })
    expect(source.approval.status).toBe('pending')
    await as('sales1').post('/api/customers/merge', { targetId: target, sourceIds: [source.id], fields: {} })
    expect((await as('sales1').get(`/api/customers/${target}`)).json.approval).toMatchObject({
      status: 'pending',
    })
    const { json } = await as('mgr1').post(`/api/approvals/${source.approval.id}/approve`)
    expect(json).toMatchObject({ status: 'approved', recordId: target })
    expect((await as('sales1').get(`/api/customers/${target}`)).json.approval.status).toBe('approved')
  })
})
