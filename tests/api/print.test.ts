import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'

/** 打印: A4 pages of a contract, a customer and an opportunity, in the caller's scope. */
const t = useStack()
const tokens: Record<string, string> = {}
let contract: { id: string }
let customer: { id: string }
let opportunity: { id: string }

const as = (user: string) => ({ token: tokens[user] })

beforeAll(async () => {
  for (const user of ['sales1', 'sales2']) tokens[user] = await t.login(user)
  const post = async (path: string, body: unknown) =>
    (await t.http('POST', path, { ...as('sales1'), body })).json
  customer = await post('/api/customers', { name: '打印测试有限公司' })
  await post('/api/contacts', { customerId: customer.id, name: '张联系', mobile: '13800138000' })
  await post('/api/followups', {
    customerId: customer.id,
    method: 'visit',
    content: '上门拜访，确认采购清单',
    followedAt: '2026-11-10T10:00:00+08:00',
  })
  const { json: product } = await t.http('POST', '/api/products', {
    ...as('sales1'),
    body: { name: '打印机', price: 1200 },
  })
  opportunity = await post('/api/opportunities', {
    name: '打印商机',
    customerId: customer.id,
    lines: [{ productId: product.id, quantity: 3 }],
  })
  contract = await post('/api/contracts', {
    number: 'PR-001',
    name: '办公设备采购',
    customerId: customer.id,
    signedAt: '2026-11-01',
    lines: [{ productId: product.id, quantity: 2, discount: 10 }],
  })
  await post('/api/payment-plans', { contractId: contract.id, dueDate: '2026-12-01', amount: 1000 })
  await post('/api/payments', { contractId: contract.id, receivedAt: '2026-11-05', amount: 800 })
  await post('/api/invoices', {
    contractId: contract.id,
    title: '打印测试有限公司',
    amount: 800,
    issuedAt: '2026-11-06',
  })
})

describe('print pages', () => {
  it('prints a contract with its lines, plans, payments and invoices, the company and the print time', async () => {
    const { status, headers, text } = await t.http('GET', `/api/contracts/${contract.id}/print`, as('sales1'))
    expect(status).toBe(200)
    expect(headers.get('content-type')).toContain('text/html')
    expect(headers.get('content-disposition')).toMatch(/^inline/)
    for (const part of [
      '合同：办公设备采购',
      '打印机',
      '¥2,160.00',
      '回款计划',
      '¥1,000.00',
      '回款记录',
      '¥800.00',
      '开票记录',
    ])
      expect(text).toContain(part)
    expect(text).toContain('王靓依') // the owner by name
    expect(text).toMatch(/<footer>.*演示科技有限公司.*打印时间：2026-11-18/s)
    expect(text).toContain('break-inside: avoid')
  })

  it('prints a customer with its contacts and recent follow-ups', async () => {
    const { status, text } = await t.http('GET', `/api/customers/${customer.id}/print`, as('sales1'))
    expect(status).toBe(200)
    for (const part of ['客户：打印测试有限公司', '张联系', '上门拜访，确认采购清单'])
      expect(text).toContain(part)
  })

  it('prints an opportunity with its stage, its lines and its owner by name', async () => {
    const { status, text } = await t.http('GET', `/api/opportunities/${opportunity.id}/print`, as('sales1'))
    expect(status).toBe(200)
    for (const part of ['商机：打印商机', '打印测试有限公司', '初步沟通', '打印机', '¥3,600.00', '王靓依'])
      expect(text).toContain(part)
    expect((await t.http('GET', `/api/opportunities/${opportunity.id}/print`, as('sales2'))).status).toBe(404)
  })

  it('answers 404 outside the caller’s scope, 401 without a session or ticket', async () => {
    expect((await t.http('GET', `/api/contracts/${contract.id}/print`, as('sales2'))).status).toBe(404)
    expect((await t.http('POST', `/api/contracts/${contract.id}/print-link`, as('sales2'))).status).toBe(404)
    expect((await t.http('GET', `/api/contracts/${contract.id}/print`)).status).toBe(401)
  })

  it('opens from a print link without a header, for that record only', async () => {
    const { json: link } = await t.http('POST', `/api/contracts/${contract.id}/print-link`, as('sales1'))
    expect(link.path).toMatch(new RegExp(`^/api/contracts/${contract.id}/print\\?ticket=`))
    const page = await t.http('GET', link.path)
    expect([page.status, page.text.includes('办公设备采购')]).toEqual([200, true])
    const ticket = link.path.split('ticket=')[1]
    expect((await t.http('GET', `/api/customers/${customer.id}/print?ticket=${ticket}`)).status).toBe(401)
    // a ticket is no session token
    expect((await t.http('GET', '/api/customers', { token: decodeURIComponent(ticket) })).status).toBe(401)
  })
})
