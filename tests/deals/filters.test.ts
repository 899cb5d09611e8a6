import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setClock } from '../../functions/core/clock.js'
import { useStack } from '../helpers/stack.js'

/**
 * The deal lists' filters the apps offer: opportunities by importance, contracts by opportunity,
 * payments by customer, payment plans by overdue. Each list holds a record that matches and one that
 * does not.
 */
const t = useStack()
// half past midnight in Shanghai, still the day before in UTC: "today" is 2026-11-18 (tenant day)
const NOW = Date.parse('2026-11-18T00:30:00+08:00')
let token: string

beforeAll(async () => {
  setClock(() => NOW)
  token = await t.login('sales1')
})
afterAll(() => setClock(undefined))

async function post(path: string, body: unknown): Promise<string> {
  const { status, json } = await t.http('POST', path, { token, body })
  if (status !== 201) throw new Error(`${path} → ${status} ${JSON.stringify(json)}`)
  return json.id
}
const listed = async (path: string) => {
  const { status, json } = await t.http('GET', path, { token })
  expect(status, JSON.stringify(json)).toBe(200)
  return json.items.map((r: { id: string }) => r.id).sort()
}
const contract = (customerId: string, number: string, extra: object = {}) =>
  post('/api/contracts', { number, name: number, customerId, amount: 1000, signedAt: '2026-11-01', ...extra })

describe('deal list filters', () => {
  it('lists opportunities of one importance', async () => {
    const customerId = await post('/api/customers', { name: '重要程度客户' })
    const high = await post('/api/opportunities', { name: '大单', customerId, importance: 'high' })
    await post('/api/opportunities', { name: '小单', customerId, importance: 'low' })
    expect(await listed(`/api/opportunities?customerId=${customerId}&importance=high`)).toEqual([high])
    expect(await listed('/api/opportunities?importance=high')).toEqual([high])
  })

  it('lists the contracts of one opportunity', async () => {
    const customerId = await post('/api/customers', { name: '商机合同客户' })
    const opportunityId = await post('/api/opportunities', { name: '有合同的商机', customerId })
    const signed = await contract(customerId, 'OPP-1', { opportunityId })
    await contract(customerId, 'OPP-2')
    expect(await listed(`/api/contracts?opportunityId=${opportunityId}`)).toEqual([signed])
  })

  it('lists the payments of one customer', async () => {
    const mine = await post('/api/customers', { name: '回款客户甲' })
    const other = await post('/api/customers', { name: '回款客户乙' })
    const paid = await post('/api/payments', {
      contractId: await contract(mine, 'PAY-1'),
      receivedAt: '2026-11-10',
      amount: 100,
    })
    await post('/api/payments', {
      contractId: await contract(other, 'PAY-2'),
      receivedAt: '2026-11-10',
      amount: 100,
    })
    expect(await listed(`/api/payments?customerId=${mine}`)).toEqual([paid])
  })

  it('lists the overdue plans: due before today in China time and not fully paid; the others apart', async () => {
    const contractId = await contract(await post('/api/customers', { name: '逾期客户' }), 'PLN-1')
    const overdue = await post('/api/payment-plans', { contractId, dueDate: '2026-11-17', amount: 100 })
    const dueToday = await post('/api/payment-plans', { contractId, dueDate: '2026-11-18', amount: 100 })
    const paid = await post('/api/payment-plans', { contractId, dueDate: '2026-11-17', amount: 100 })
    await post('/api/payments', { contractId, planId: paid, receivedAt: '2026-11-17', amount: 100 })
    expect(await listed(`/api/payment-plans?contractId=${contractId}&overdue=true`)).toEqual([overdue])
    expect(await listed(`/api/payment-plans?contractId=${contractId}&overdue=false`)).toEqual(
      [dueToday, paid].sort(),
    )
    expect(await listed('/api/payment-plans?overdue=true')).toEqual([overdue])
  })
})
