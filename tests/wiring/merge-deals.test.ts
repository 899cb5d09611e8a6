import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { describe, expect, it } from 'vitest'
import { now } from '../../functions/core/clock.js'
import { CustomerEntity } from '../../functions/db/entities/lifecycle.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { addDays, chinaToday } from '../../shared/view/format.js'
import { mergeInput, stopMergeAfter, useMergeFixture } from '../lifecycle/merge-fixture.js'

/**
 * 客户合并 with deals: the source's opportunities and contracts move to the target, and the contracts'
 * plans, payments and invoices follow; the customers' `wonAmount` and open-opportunity counts move with
 * them, the report counters stay as they were; a merge stopped half-way finishes on a rerun.
 */
const { as, customersToMerge } = useMergeFixture(['admin', 'sales1', 'sales2'])
const created = (path: string, body: unknown) => as('sales1').created(path, body)

/** The stored customer (the kept amounts and counts the API does not show). */
async function stored(id: string) {
  const { Item } = await CustomerEntity.build(GetItemCommand)
    .key({ tenantId: DEMO_CORP_ID, id })
    .options({ consistent: true })
    .send()
  return Item!
}

const today = chinaToday(now())
let contracts = 0
/** An open opportunity and a ¥1000 contract with a plan, `payments` payments of ¥100 and an invoice. */
async function dealsOn(customerId: string, payments = 1) {
  const opportunity = await created('/api/opportunities', { name: '合并商机', customerId, amount: 500 })
  const contract = await created('/api/contracts', {
    number: `MRG-${++contracts}`,
    name: '合并合同',
    customerId,
    amount: 1000,
    signedAt: today,
  })
  const plan = await created('/api/payment-plans', {
    contractId: contract.id,
    dueDate: addDays(today, 30),
    amount: 600,
  })
  const paid: { id: string }[] = []
  for (let i = 0; i < payments; i++) {
    paid.push(
      await created('/api/payments', {
        contractId: contract.id,
        planId: plan.id,
        receivedAt: today,
        amount: 100,
      }),
    )
  }
  const invoice = await created('/api/invoices', {
    contractId: contract.id,
    title: '发票抬头',
    amount: 300,
    issuedAt: today,
  })
  return { opportunity, contract, plan, payments: paid, invoice }
}

/** Today's figures: the deals above are dated today, on the clock seam. */
const adminBriefing = async () =>
  (await as('admin').get(`/api/reports/briefing?from=${today}&to=${today}`)).json

describe('merging customers with deals', () => {
  it('moves opportunities and contracts with their plans, payments and invoices to the target', async () => {
    const { target, source } = await customersToMerge('合并交易目标', '合并交易来源')
    const deals = await dealsOn(source.id)
    expect(await stored(source.id)).toMatchObject({ wonAmount: 100000, openOpportunities: 1 })
    const reportsBefore = await adminBriefing()

    const res = await as('sales1').post('/api/customers/merge', {
      targetId: target.id,
      sourceIds: [source.id],
    })
    expect(res.status).toBe(200)
    expect(res.json.target.wonAmount).toBe(1000)

    const opportunities = (await as('sales1').get(`/api/opportunities?customerId=${target.id}`)).json.items
    expect(opportunities.map((o: { id: string }) => o.id)).toEqual([deals.opportunity.id])
    const moved = (await as('sales1').get(`/api/contracts?customerId=${target.id}`)).json.items
    expect(moved).toMatchObject([{ id: deals.contract.id, receivedAmount: 100, invoicedAmount: 300 }])
    for (const [path, id] of [
      ['payment-plans', deals.plan.id],
      ['payments', deals.payments[0].id],
      ['invoices', deals.invoice.id],
    ]) {
      expect((await as('sales1').get(`/api/${path}/${id}`)).json.customerId).toBe(target.id)
    }
    expect(await stored(target.id)).toMatchObject({ wonAmount: 100000, openOpportunities: 1 })
    expect(await stored(source.id)).toMatchObject({
      wonAmount: 0,
      openOpportunities: 0,
      mergedInto: target.id,
    })
    // the deals' figures stay; the source no longer counts as a new customer
    expect(await adminBriefing()).toEqual({ ...reportsBefore, newCustomers: reportsBefore.newCustomers - 1 })
  })

  it('shows the moved payments to whoever sees the target, as its own children', async () => {
    const { target, source } = await customersToMerge('协助目标', '协助来源')
    const deals = await dealsOn(source.id)
    await as('sales1').put(`/api/customers/${target.id}/collaborators`, { collaboratorIds: ['sales2'] })
    expect((await as('sales2').get(`/api/payments/${deals.payments[0].id}`)).status).toBe(404)
    await as('sales1').post('/api/customers/merge', { targetId: target.id, sourceIds: [source.id] })
    expect((await as('sales2').get(`/api/payments/${deals.payments[0].id}`)).status).toBe(200)
    expect((await as('sales2').get(`/api/contracts/${deals.contract.id}`)).status).toBe(200)
  })

  it('finishes a merge that stopped inside a contract’s payments: nothing lost, no amount doubled', async () => {
    const { target, source } = await customersToMerge('中断目标', '中断来源')
    const deals = await dealsOn(source.id, 3)
    const input = mergeInput(target, source)
    // 2 of the contract's 5 children move, then the "crash"
    await stopMergeAfter(input, 2)
    expect(await stored(source.id)).toMatchObject({ wonAmount: 100000 })
    expect(await stored(target.id)).toMatchObject({ wonAmount: 0 })

    expect((await as('sales1').post('/api/customers/merge', input)).status).toBe(200)
    expect((await as('sales1').post('/api/customers/merge', input)).status).toBe(200)
    expect(await stored(target.id)).toMatchObject({ wonAmount: 100000, openOpportunities: 1 })
    expect(await stored(source.id)).toMatchObject({ wonAmount: 0, openOpportunities: 0 })
    for (const payment of deals.payments) {
      expect((await as('sales1').get(`/api/payments/${payment.id}`)).json.customerId).toBe(target.id)
    }
    const contract = (await as('sales1').get(`/api/contracts/${deals.contract.id}`)).json
    expect(contract).toMatchObject({ customerId: target.id, receivedAmount: 300, outstandingAmount: 700 })
  })
})
