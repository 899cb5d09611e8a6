import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setClock } from '../../functions/core/clock.js'
import { commit } from '../../functions/db/commit.js'
import { counterWrite, reportCounter } from '../../functions/db/counters.js'
import { rebuildReportCounters } from '../../functions/domain/stats/rebuild.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { ddbUsage, useStack } from '../helpers/stack.js'

/**
 * The whole deal over HTTP, in order: an opportunity moves through its stages and is won, becomes a
 * contract with a payment plan, payments and invoices; the contract's amounts, the customer's
 * wonAmount and every report follow, for a member, a manager and an admin.
 */
const t = useStack()
const tokens: Record<string, string> = {}
// 2026-05-20 10:00 in Shanghai: "today" for every tenant-day rule below.
const NOW = Date.parse('2026-05-20T10:00:00+08:00')
let clock = NOW

beforeAll(async () => {
  setClock(() => clock)
  for (const user of ['admin', 'mgr1', 'mgr2', 'sales1', 'sales2', 'sales3'])
    tokens[user] = await t.login(user)
})
afterAll(() => setClock(undefined))

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  patch: (path: string, body: unknown) => t.http('PATCH', path, { token: tokens[user], body }),
  put: (path: string, body: unknown) => t.http('PUT', path, { token: tokens[user], body }),
  del: (path: string) => t.http('DELETE', path, { token: tokens[user] }),
})

const deal = {} as {
  customerId: string
  opportunityId: string
  contractId: string
  planMay: string
  planJune: string
  paymentId: string
}

describe('the deal flow', () => {
  it('creates an opportunity in the first stage for a customer the member owns', async () => {
    const customer = await as('sales1').post('/api/customers', { name: '杭州云栖数据有限公司' })
    expect(customer.status).toBe(201)
    deal.customerId = customer.json.id
    const { status, json } = await as('sales1').post('/api/opportunities', {
      name: '云栖 CRM 采购',
      customerId: deal.customerId,
      amount: 100000.5,
      importance: 'high',
      expectedCloseDate: '2026-06-30',
    })
    expect(status).toBe(201)
    expect(json).toMatchObject({ stageId: 's1', ownerId: 'sales1', deptId: '201', amount: 100000.5 })
    deal.opportunityId = json.id
  })

  it('records each stage move with who, when and the note', async () => {
    clock = NOW + 10 * 60_000
    const moved = await as('sales1').post(`/api/opportunities/${deal.opportunityId}/stage`, {
      stageId: 's2',
      note: '已拜访',
    })
    expect(moved.status).toBe(200)
    expect(moved.json.stageId).toBe('s2')
    clock = NOW + 30 * 60_000
    expect(
      (await as('sales1').post(`/api/opportunities/${deal.opportunityId}/stage`, { stageId: 's4' })).status,
    ).toBe(200)
  })

  it('refuses to mark an opportunity lost without a reason (422)', async () => {
    const { status, json } = await as('sales1').post(`/api/opportunities/${deal.opportunityId}/stage`, {
      stageId: 'lost',
    })
    expect(status).toBe(422)
    expect(json.error.code).toBe('opportunity.lost_reason_required')
  })

  it('sets the close date to today when the opportunity is won', async () => {
    clock = NOW + 40 * 60_000
    const { status, json } = await as('sales1').post(`/api/opportunities/${deal.opportunityId}/stage`, {
      stageId: 'won',
      note: '签约',
    })
    expect(status).toBe(200)
    expect(json).toMatchObject({ stageId: 'won', closeDate: '2026-05-20' })
  })

  it('shows the stage history with the time spent in each stage', async () => {
    clock = NOW + 50 * 60_000
    const { json } = await as('sales1').get(`/api/opportunities/${deal.opportunityId}/stages`)
    expect(json.items.map((s: { stageId: string }) => s.stageId)).toEqual(['s1', 's2', 's4', 'won'])
    expect(json.items.map((s: { durationSeconds: number }) => s.durationSeconds)).toEqual([
      600, 1200, 600, 600,
    ])
    expect(json.items[1]).toMatchObject({
      name: '见面拜访',
      note: '已拜访',
      movedBy: 'sales1',
      fromStageId: 's1',
    })
    expect(json.items[3].leftAt).toBeNull()
  })

  it('creates the contract and adds its amount to the customer’s wonAmount', async () => {
    const { status, json } = await as('sales1').post('/api/contracts', {
      number: 'HT-2026-001',
      name: '云栖 CRM 合同',
      customerId: deal.customerId,
      opportunityId: deal.opportunityId,
      amount: 120000,
      signedAt: '2026-05-18',
    })
    expect(status).toBe(201)
    expect(json).toMatchObject({
      receivedAmount: 0,
      invoicedAmount: 0,
      outstandingAmount: 120000,
      ownerId: 'sales1',
    })
    deal.contractId = json.id
    const customer = await as('sales1').get(`/api/customers/${deal.customerId}`)
    expect(customer.json.wonAmount).toBe(120000)
  })

  it('refuses a second contract with the same number, whatever its case (409)', async () => {
    const { status, json } = await as('sales1').post('/api/contracts', {
      number: 'ht-2026-001',
      name: '重复编号',
      customerId: deal.customerId,
      amount: 1,
      signedAt: '2026-05-18',
    })
    expect(status).toBe(409)
    expect(json.error.code).toBe('contract.duplicate')
  })

  it('adds payment plans; one due before today and unpaid is overdue', async () => {
    const may = await as('sales1').post('/api/payment-plans', {
      contractId: deal.contractId,
      dueDate: '2026-05-10',
      amount: 50000,
    })
    const june = await as('sales1').post('/api/payment-plans', {
      contractId: deal.contractId,
      dueDate: '2026-06-15',
      amount: 70000,
    })
    expect(may.json).toMatchObject({ overdue: true, unpaidAmount: 50000 })
    expect(june.json).toMatchObject({ overdue: false })
    deal.planMay = may.json.id
    deal.planJune = june.json.id
  })

  it('records a payment against a plan and updates the contract and the plan', async () => {
    const { status, json, headers } = await as('sales1').post('/api/payments', {
      contractId: deal.contractId,
      planId: deal.planMay,
      receivedAt: '2026-05-12',
      amount: 30000.01,
    })
    expect(status).toBe(201)
    deal.paymentId = json.id
    // reads (payment's contract, settings, plan, approval flows) + one transaction
    expect(ddbUsage(headers).calls).toBeLessThanOrEqual(5)
    const contract = await as('sales1').get(`/api/contracts/${deal.contractId}`)
    expect(contract.json).toMatchObject({
      receivedAmount: 30000.01,
      outstandingAmount: 89999.99,
      plannedAmount: 120000,
    })
    const plan = await as('sales1').get(`/api/payment-plans/${deal.planMay}`)
    expect(plan.json).toMatchObject({ receivedAmount: 30000.01, unpaidAmount: 19999.99, overdue: true })
  })

  it('refuses a payment beyond what the contract still has to receive (422)', async () => {
    const { status, json } = await as('sales1').post('/api/payments', {
      contractId: deal.contractId,
      receivedAt: '2026-05-13',
      amount: 90000,
    })
    expect(status).toBe(422)
    expect(json.error.code).toBe('payment.exceeds_contract')
  })

  it('refuses a payment beyond what its plan still has to receive (422)', async () => {
    const { status, json } = await as('sales1').post('/api/payments', {
      contractId: deal.contractId,
      planId: deal.planMay,
      receivedAt: '2026-05-13',
      amount: 20000,
    })
    expect(status).toBe(422)
    expect(json.error.code).toBe('payment.exceeds_plan')
  })

  it('issues invoices up to the contract amount and refuses one beyond it (422)', async () => {
    const first = await as('sales1').post('/api/invoices', {
      contractId: deal.contractId,
      title: '杭州云栖数据有限公司',
      type: 'vat_special',
      amount: 50000,
      issuedAt: '2026-05-19',
    })
    expect(first.status).toBe(201)
    const second = await as('sales1').post('/api/invoices', {
      contractId: deal.contractId,
      title: '杭州云栖数据有限公司',
      amount: 70000.01,
      issuedAt: '2026-05-19',
    })
    expect(second.status).toBe(422)
    expect(second.json.error.code).toBe('invoice.exceeds_contract')
    const contract = await as('sales1').get(`/api/contracts/${deal.contractId}`)
    expect(contract.json.invoicedAmount).toBe(50000)
  })

  it('keeps the contract amounts exact through a payment edit, delete and restore', async () => {
    const payment = await as('sales1').get(`/api/payments/${deal.paymentId}`)
    const edited = await as('sales1').patch(`/api/payments/${deal.paymentId}`, {
      amount: 40000,
      version: payment.json.version,
    })
    expect(edited.status).toBe(200)
    expect((await as('sales1').get(`/api/contracts/${deal.contractId}`)).json.receivedAmount).toBe(40000)
    expect((await as('sales1').del(`/api/payments/${deal.paymentId}`)).status).toBe(204)
    expect((await as('sales1').get(`/api/contracts/${deal.contractId}`)).json).toMatchObject({
      receivedAmount: 0,
      outstandingAmount: 120000,
    })
    const restored = await as('sales1').post(`/api/recycle-bin/payments/${deal.paymentId}/restore`)
    expect(restored.status).toBe(200)
    expect((await as('sales1').get(`/api/contracts/${deal.contractId}`)).json).toMatchObject({
      receivedAmount: 40000,
      outstandingAmount: 80000,
    })
  })

  it('refuses to delete a contract that still has plans, payments or invoices (422)', async () => {
    const { status, json } = await as('sales1').del(`/api/contracts/${deal.contractId}`)
    expect(status).toBe(422)
    expect(json.error.code).toBe('contract.has_children')
  })
})

describe('the reports after the deal', () => {
  const may = '?from=2026-05-01&to=2026-05-31'

  it('briefs the member on their own figures', async () => {
    const { status, json } = await as('sales1').get(`/api/reports/briefing${may}`)
    expect(status).toBe(200)
    expect(json).toMatchObject({
      from: '2026-05-01',
      to: '2026-05-31',
      newOpportunities: 1,
      wonOpportunities: 1,
      contractAmount: 120000,
      paymentAmount: 40000,
    })
  })

  it('briefs the manager of the member’s department on the same figures, and another manager on none', async () => {
    expect((await as('mgr1').get(`/api/reports/briefing${may}`)).json).toMatchObject({
      contractAmount: 120000,
      paymentAmount: 40000,
    })
    expect((await as('mgr2').get(`/api/reports/briefing${may}`)).json).toMatchObject({
      contractAmount: 0,
      paymentAmount: 0,
      newOpportunities: 0,
    })
  })

  it('briefs the admin on the whole company, and a colleague on only their own', async () => {
    expect((await as('admin').get(`/api/reports/briefing${may}`)).json.contractAmount).toBe(120000)
    expect((await as('sales2').get(`/api/reports/briefing${may}`)).json.contractAmount).toBe(0)
  })

  it('ranks performance by person for the manager and by department for the admin', async () => {
    const byUser = await as('mgr1').get(`/api/reports/performance${may}&groupBy=user`)
    expect(byUser.json.rows[0]).toMatchObject({
      id: 'sales1',
      contractAmount: 120000,
      paymentAmount: 40000,
      wonOpportunities: 1,
    })
    expect(byUser.json.rows.map((r: { id: string }) => r.id)).not.toContain('sales3')
    const byDept = await as('admin').get(`/api/reports/performance${may}&groupBy=dept`)
    const rows = Object.fromEntries(
      byDept.json.rows.map((r: { id: string; contractAmount: number }) => [r.id, r.contractAmount]),
    )
    // 销售部 (200) includes 销售一部 (201)
    expect(rows).toMatchObject({ '200': 120000, '201': 120000, '202': 0 })
  })

  it('shows planned, received and overdue per month in the payments analysis', async () => {
    const { json } = await as('sales1').get('/api/reports/payments?year=2026')
    expect(json.months[4]).toEqual({ month: 5, planned: 50000, received: 40000, overdue: 10000 })
    expect(json.months[5]).toEqual({ month: 6, planned: 70000, received: 0, overdue: 0 })
  })

  it('puts the won opportunity in the funnel with its weighted amount', async () => {
    const { json } = await as('mgr1').get(`/api/reports/funnel${may}`)
    const won = json.stages.find((s: { stageId: string }) => s.stageId === 'won')
    expect(won).toMatchObject({ count: 1, amount: 100000.5, weightedAmount: 100000.5, conversion: 100 })
    expect(json.stages.find((s: { stageId: string }) => s.stageId === 's1')).toMatchObject({
      count: 0,
      conversion: 100,
    })
  })

  it('compares targets with actuals, a department including its sub-departments', async () => {
    const months = Array.from({ length: 12 }, () => 100000)
    const dept = await as('admin').post('/api/targets', {
      scope: 'dept',
      subjectId: '200',
      metric: 'contractAmount',
      year: 2026,
      months,
    })
    expect(dept.status).toBe(201)
    expect(dept.json.yearTotal).toBe(1200000)
    const person = await as('mgr1').post('/api/targets', {
      scope: 'user',
      subjectId: 'sales1',
      metric: 'contractAmount',
      year: 2026,
      months,
    })
    expect(person.status).toBe(201)
    const { json } = await as('admin').get('/api/reports/targets?year=2026&metric=contractAmount')
    const row = (id: string) => json.rows.find((r: { subjectId: string }) => r.subjectId === id)
    expect(row('200').months[4]).toEqual({ month: 5, target: 100000, actual: 120000, rate: 120 })
    expect(row('200')).toMatchObject({ yearTarget: 1200000, yearActual: 120000, rate: 10 })
    expect(row('sales1').yearActual).toBe(120000)
    const mine = await as('sales1').get('/api/reports/targets?year=2026&metric=contractAmount')
    expect(mine.json.rows.map((r: { subjectId: string }) => r.subjectId)).toEqual(['sales1'])
  })

  it('repairs a corrupted counter with the rebuild command', async () => {
    await commit([
      counterWrite(DEMO_CORP_ID, {
        name: reportCounter({ ownerId: 'sales1', day: '2026-05-15', metric: 'contractAmount' }),
        delta: 99,
      }),
    ])
    expect((await as('sales1').get(`/api/reports/briefing${may}`)).json.contractAmount).toBe(120000.99)
    const { records } = await rebuildReportCounters(DEMO_CORP_ID)
    expect(records).toBeGreaterThan(0)
    expect((await as('sales1').get(`/api/reports/briefing${may}`)).json.contractAmount).toBe(120000)
    expect((await as('admin').get(`/api/reports/payments?year=2026`)).json.months[4]).toEqual({
      month: 5,
      planned: 50000,
      received: 40000,
      overdue: 10000,
    })
  })
})
