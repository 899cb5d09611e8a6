import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'

/**
 * PATCH `{ field: null }` clears an optional field (the H5 edit forms send it for an emptied input):
 * the stored item loses the attribute, reads no longer show it, and what was derived from it (search
 * and dedup entries, list filters, report counters) follows. A field the record must have refuses
 * `null` with a 400 naming it, and nothing is written.
 */
const t = useStack()
let token: string

beforeAll(async () => {
  token = await t.login('sales1')
})

const get = (path: string) => t.http('GET', path, { token })
const post = async (path: string, body: unknown) => {
  const { status, json } = await t.http('POST', path, { token, body })
  expect(status).toBe(201)
  return json
}
const patch = (path: string, body: unknown) => t.http('PATCH', path, { token, body })

/** PATCH the fields to null at the record's version; the answer must be 200. */
async function clear(path: string, record: { id: string; version: number }, fields: string[]) {
  const body = { version: record.version, ...Object.fromEntries(fields.map((f) => [f, null])) }
  const { status, json } = await patch(`${path}/${record.id}`, body)
  expect(status, JSON.stringify(json)).toBe(200)
  return json
}

describe('PATCH with null clears an optional field', () => {
  it('clears a customer remark: the answer and a later read no longer have it', async () => {
    const customer = await post('/api/customers', { name: '清空备注科技', remark: '老客户介绍' })
    const cleared = await clear('/api/customers', customer, ['remark'])
    expect(cleared).not.toHaveProperty('remark')
    expect(cleared.version).toBe(customer.version + 1)
    const { json } = await get(`/api/customers/${customer.id}`)
    expect(json).not.toHaveProperty('remark')
    expect(json.name).toBe('清空备注科技')
  })

  it('keeps a field the body leaves out: only null clears it', async () => {
    const customer = await post('/api/customers', {
      name: '留空不变公司',
      remark: '保留',
      industry: '制造业',
    })
    const { json } = await patch(`/api/customers/${customer.id}`, {
      version: customer.version,
      industry: null,
    })
    expect(json).toMatchObject({ remark: '保留' })
    expect(json).not.toHaveProperty('industry')
  })

  it('clears a field given as null through the typed API client the apps use', async () => {
    const customer = await post('/api/customers', { name: '客户端清空公司', address: '杭州市西湖区' })
    const updated = await t.client(token).customers.update(customer.id, {
      address: null,
      version: customer.version,
    })
    expect(updated.address).toBeUndefined()
    expect((await get(`/api/customers/${customer.id}`)).json).not.toHaveProperty('address')
  })

  it('removes a cleared customer phone from search and from the phone dedup check', async () => {
    const customer = await post('/api/customers', { name: '清空电话贸易', phone: '13911112222' })
    expect((await get('/api/search?q=13911112222')).json.items).toHaveLength(1)
    expect((await get('/api/customers/duplicates?phone=13911112222')).json.items).toHaveLength(1)
    await clear('/api/customers', customer, ['phone'])
    expect((await get(`/api/customers/${customer.id}`)).json).not.toHaveProperty('phone')
    expect((await get('/api/search?q=13911112222')).json.items).toEqual([])
    expect((await get('/api/customers/duplicates?phone=13911112222')).json.items).toEqual([])
  })

  it('takes a customer whose category is cleared out of the category filter', async () => {
    const customer = await post('/api/customers', { name: '清空分类物流', category: 'B' })
    const listed = async () =>
      (await get(`/api/customers?category=B&q=${encodeURIComponent('清空分类')}`)).json.items.map(
        (c: { id: string }) => c.id,
      )
    expect(await listed()).toEqual([customer.id])
    await clear('/api/customers', customer, ['category'])
    expect(await listed()).toEqual([])
  })

  it("clears a contact's email and mobile, and search no longer finds the mobile", async () => {
    const customer = await post('/api/customers', { name: '联系人清空公司' })
    const contact = await post('/api/contacts', {
      customerId: customer.id,
      name: '王清空',
      mobile: '13722223333',
      email: 'wang@example.com',
    })
    expect((await get('/api/search?q=13722223333')).json.items).toHaveLength(1)
    const cleared = await clear('/api/contacts', contact, ['email', 'mobile'])
    expect(cleared).not.toHaveProperty('email')
    expect(cleared).not.toHaveProperty('mobile')
    expect((await get('/api/search?q=13722223333')).json.items).toEqual([])
  })

  it("clears a follow-up's next follow-up time", async () => {
    const customer = await post('/api/customers', { name: '跟进清空公司' })
    const followUp = await post('/api/followups', {
      customerId: customer.id,
      method: 'phone',
      content: '电话沟通',
      followedAt: '2026-05-01T10:00:00+08:00',
      nextFollowUpAt: '2026-05-08T10:00:00+08:00',
    })
    await clear('/api/followups', followUp, ['nextFollowUpAt'])
    expect((await get(`/api/followups/${followUp.id}`)).json).not.toHaveProperty('nextFollowUpAt')
  })

  it("clears an opportunity's expected close date, which takes it out of that date filter", async () => {
    const customer = await post('/api/customers', { name: '商机清空公司' })
    const opportunity = await post('/api/opportunities', {
      name: '清空预计成交日',
      customerId: customer.id,
      expectedCloseDate: '2031-03-15',
    })
    const inRange = async () =>
      (await get('/api/opportunities?expectedCloseFrom=2031-03-01&expectedCloseTo=2031-03-31')).json.items
    expect(await inRange()).toHaveLength(1)
    await clear('/api/opportunities', opportunity, ['expectedCloseDate'])
    expect((await get(`/api/opportunities/${opportunity.id}`)).json).not.toHaveProperty('expectedCloseDate')
    expect(await inRange()).toEqual([])
  })

  it("resets a cleared opportunity amount to 0 and takes it out of the funnel's stage amount", async () => {
    const customer = await post('/api/customers', { name: '金额清空公司' })
    const opportunity = await post('/api/opportunities', {
      name: '清空金额',
      customerId: customer.id,
      amount: 8888,
    })
    // the report counts it on its creation day in the tenant's zone (Asia/Shanghai, UTC+8)
    const day = new Date(Date.parse(opportunity.createdAt) + 8 * 3600_000).toISOString().slice(0, 10)
    const stageAmount = async () =>
      (await get(`/api/reports/funnel?from=${day}&to=${day}`)).json.stages.find(
        (s: { stageId: string }) => s.stageId === opportunity.stageId,
      ).amount
    const before = await stageAmount()
    const cleared = await clear('/api/opportunities', opportunity, ['amount'])
    expect(cleared.amount).toBe(0)
    expect(await stageAmount()).toBe(before - 8888)
  })

  it("clears a contract's opportunity link and remark", async () => {
    const customer = await post('/api/customers', { name: '合同清空公司' })
    const opportunity = await post('/api/opportunities', { name: '合同来源', customerId: customer.id })
    const contract = await post('/api/contracts', {
      number: 'CLR-001',
      name: '清空字段合同',
      customerId: customer.id,
      opportunityId: opportunity.id,
      amount: 1000,
      signedAt: '2026-05-01',
      remark: '待清空',
    })
    const cleared = await clear('/api/contracts', contract, ['opportunityId', 'remark'])
    expect(cleared).not.toHaveProperty('opportunityId')
    expect(cleared).not.toHaveProperty('remark')
    expect((await get(`/api/contracts/${contract.id}`)).json).toEqual(cleared)
  })

  it("clears a payment's plan, which gives the plan back its unpaid amount", async () => {
    const customer = await post('/api/customers', { name: '回款清空公司' })
    const contract = await post('/api/contracts', {
      number: 'CLR-002',
      name: '回款合同',
      customerId: customer.id,
      amount: 1000,
      signedAt: '2026-05-01',
    })
    const plan = await post('/api/payment-plans', {
      contractId: contract.id,
      dueDate: '2026-06-01',
      amount: 600,
      remark: '首期',
    })
    const payment = await post('/api/payments', {
      contractId: contract.id,
      planId: plan.id,
      receivedAt: '2026-05-10',
      amount: 200,
      remark: '转账',
    })
    expect((await get(`/api/payment-plans/${plan.id}`)).json.unpaidAmount).toBe(400)
    const cleared = await clear('/api/payments', payment, ['planId', 'remark'])
    expect(cleared).not.toHaveProperty('planId')
    expect(cleared).not.toHaveProperty('remark')
    const after = (await get(`/api/payment-plans/${plan.id}`)).json
    expect(after).toMatchObject({ receivedAmount: 0, unpaidAmount: 600 })
    expect(await clear('/api/payment-plans', after, ['remark'])).not.toHaveProperty('remark')
  })

  it("clears an invoice's number and remark", async () => {
    const customer = await post('/api/customers', { name: '发票清空公司' })
    const contract = await post('/api/contracts', {
      number: 'CLR-003',
      name: '发票合同',
      customerId: customer.id,
      amount: 1000,
      signedAt: '2026-05-01',
    })
    const invoice = await post('/api/invoices', {
      contractId: contract.id,
      title: '发票清空公司',
      number: 'FP-001',
      amount: 300,
      issuedAt: '2026-05-02',
      remark: '专票',
    })
    const cleared = await clear('/api/invoices', invoice, ['number', 'remark'])
    expect(cleared).not.toHaveProperty('number')
    expect(cleared).not.toHaveProperty('remark')
  })

  it("clears a lead's description, a product's price and a competitor's strengths", async () => {
    const lead = await post('/api/leads', { title: '清空描述线索', description: '展会' })
    expect(await clear('/api/leads', lead, ['description'])).not.toHaveProperty('description')
    const product = await post('/api/products', { name: '清空价格产品', price: 99 })
    expect(await clear('/api/products', product, ['price'])).not.toHaveProperty('price')
    const competitor = await post('/api/competitors', { name: '清空优势对手', strengths: '价格低' })
    expect(await clear('/api/competitors', competitor, ['strengths'])).not.toHaveProperty('strengths')
  })

  it("clears a reminder's repeat end and content, keeping it scheduled", async () => {
    const customer = await post('/api/customers', { name: '提醒清空公司' })
    const reminder = await post('/api/reminders', {
      recordType: 'customer',
      recordId: customer.id,
      title: '回访',
      content: '带上报价单',
      assigneeIds: ['sales1'],
      dueAt: '2031-01-01T09:00:00+08:00',
      repeat: 'weekly',
      repeatUntil: '2031-03-01T09:00:00+08:00',
    })
    const cleared = await clear('/api/reminders', reminder, ['repeatUntil', 'content'])
    expect(cleared).not.toHaveProperty('repeatUntil')
    expect(cleared).not.toHaveProperty('content')
    expect(cleared).toMatchObject({ status: 'pending', repeat: 'weekly', fireAt: reminder.fireAt })
  })
})

describe('PATCH with null on a field the record must have', () => {
  it.each([
    ['customers', 'name', { name: '必填客户' }],
    ['leads', 'status', { title: '必填线索' }],
    ['products', 'name', { name: '必填产品' }],
  ])('answers 400 naming %s.%s and writes nothing', async (path, field, body) => {
    const record = await post(`/api/${path}`, body)
    const { status, json } = await patch(`/api/${path}/${record.id}`, {
      version: record.version,
      [field]: null,
    })
    expect(status).toBe(400)
    expect(json.error).toMatchObject({ code: 'validation.failed', message: `${field}: 不能为空` })
    expect(json.error.details[0].path).toEqual([field])
    expect((await get(`/api/${path}/${record.id}`)).json.version).toBe(record.version)
  })

  it("refuses to clear an opportunity's owner, which the create may leave out but the record needs", async () => {
    const customer = await post('/api/customers', { name: '负责人必填公司' })
    const opportunity = await post('/api/opportunities', { name: '负责人必填', customerId: customer.id })
    const { status, json } = await patch(`/api/opportunities/${opportunity.id}`, {
      version: opportunity.version,
      ownerId: null,
    })
    expect(status).toBe(400)
    expect(json.error.message).toBe('ownerId: 不能为空')
  })

  it("refuses to clear a reminder's status", async () => {
    const customer = await post('/api/customers', { name: '提醒状态公司' })
    const reminder = await post('/api/reminders', {
      recordType: 'customer',
      recordId: customer.id,
      title: '状态必填',
      assigneeIds: ['sales1'],
      dueAt: '2031-01-01T09:00:00+08:00',
    })
    const { status, json } = await patch(`/api/reminders/${reminder.id}`, {
      version: reminder.version,
      status: null,
    })
    expect(status).toBe(400)
    expect(json.error.message).toBe('status: 不能为空')
  })
})
