/**
 * The rules of a complete record: a lead's 跟进结果 and 跟进反馈信息 kept by its assignee with their
 * history, a member cannot create a lead for someone else; 下次跟进时间 keeps a reminder for the author;
 * a customer's primary contact can be deleted; a customer's 商机 and 合同 tabs.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'

const t = useStack()
let sales1: string
let sales2: string
let sales3: string
let mgr1: string

async function post(token: string, path: string, body: unknown) {
  const { status, json } = await t.http('POST', path, { token, body })
  expect(status, `${path}: ${JSON.stringify(json)}`).toBeLessThan(300)
  return json
}

beforeAll(async () => {
  sales1 = await t.login('sales1')
  sales2 = await t.login('sales2')
  sales3 = await t.login('sales3')
  mgr1 = await t.login('mgr1')
})

describe('a lead’s 跟进结果 and 跟进反馈信息', () => {
  it('are kept by its assignee, each change in its 动态', async () => {
    const lead = await post(mgr1, '/api/leads', { title: '结果线索', assigneeId: 'sales1' })
    const first = await t.http('PATCH', `/api/leads/${lead.id}`, {
      token: sales1,
      body: { version: lead.version, result: '有意向', feedback: '客户下月预算批复' },
    })
    expect(first.status).toBe(200)
    expect(first.json).toMatchObject({ result: '有意向', feedback: '客户下月预算批复' })
    const second = await t.http('PATCH', `/api/leads/${lead.id}`, {
      token: sales1,
      body: { version: first.json.version, result: '已约见面' },
    })
    expect(second.json.result).toBe('已约见面')
    const { json: timeline } = await t.http('GET', `/api/leads/${lead.id}/timeline`, { token: mgr1 })
    expect(timeline.items[0]).toMatchObject({
      summary: '更新了线索「结果线索」的跟进结果：已约见面',
      actorName: '王靓依',
      changes: [{ field: 'result', from: '有意向', to: '已约见面' }],
    })
    expect(timeline.items[1].changes).toEqual([
      { field: 'result', from: null, to: '有意向' },
      { field: 'feedback', from: null, to: '客户下月预算批复' },
    ])
  })

  it('are not the edit of a member who does not hold the lead', async () => {
    const lead = await post(mgr1, '/api/leads', { title: '别人的线索', assigneeId: 'sales1' })
    const { status } = await t.http('PATCH', `/api/leads/${lead.id}`, {
      token: sales3,
      body: { version: lead.version, result: '越权' },
    })
    expect(status).toBe(404)
  })
})

describe('a member creating a lead', () => {
  it('for someone else gets 403, and no lead is written', async () => {
    const before = (await t.http('GET', '/api/leads?q=替人建', { token: mgr1 })).json.items.length
    const { status, json } = await t.http('POST', '/api/leads', {
      token: sales1,
      body: { title: '替人建的线索', assigneeId: 'sales2' },
    })
    expect(`${status} ${json.error.code}`).toBe('403 auth.forbidden')
    expect((await t.http('GET', '/api/leads?q=替人建', { token: mgr1 })).json.items).toHaveLength(before)
  })

  it('for themselves keeps it', async () => {
    const lead = await post(sales1, '/api/leads', { title: '自己的线索', assigneeId: 'sales1' })
    expect(lead.assigneeId).toBe('sales1')
  })
})

describe('下次跟进时间', () => {
  let customerId: string
  const myReminders = async (token: string) =>
    (await t.http('GET', `/api/reminders?mine=true&recordType=customer&recordId=${customerId}`, { token }))
      .json.items as { id: string; title: string; dueAt: string; status: string; assigneeIds: string[] }[]
  const reminderOf = async (token: string, followUpId: string) =>
    (await t.http('GET', `/api/reminders/${followUpId}-next`, { token })).json

  beforeAll(async () => {
    customerId = (await post(sales2, '/api/customers', { name: '下次跟进有限公司' })).id
  })

  it('schedules a reminder for the follow-up’s author, moved when the time moves, cancelled when cleared', async () => {
    const followUp = await post(sales2, '/api/followups', {
      customerId,
      method: 'phone',
      content: '电话沟通报价',
      followedAt: '2026-11-18T02:00:00.000Z',
      nextFollowUpAt: '2026-11-25T01:00:00.000Z',
    })
    const created = await reminderOf(sales2, followUp.id)
    expect(created).toMatchObject({
      title: '下次跟进：下次跟进有限公司',
      recordType: 'customer',
      recordId: customerId,
      assigneeIds: ['sales2'],
      dueAt: '2026-11-25T01:00:00.000Z',
      status: 'pending',
    })
    expect((await myReminders(sales2)).map((r) => r.dueAt)).toEqual(['2026-11-25T01:00:00.000Z'])

    const moved = await t.http('PATCH', `/api/followups/${followUp.id}`, {
      token: sales2,
      body: { version: followUp.version, nextFollowUpAt: '2026-11-27T06:00:00.000Z' },
    })
    expect(moved.status).toBe(200)
    expect(await reminderOf(sales2, followUp.id)).toMatchObject({
      dueAt: '2026-11-27T06:00:00.000Z',
      status: 'pending',
    })

    const cleared = await t.http('PATCH', `/api/followups/${followUp.id}`, {
      token: sales2,
      body: { version: moved.json.version, nextFollowUpAt: null },
    })
    expect(cleared.status).toBe(200)
    expect((await reminderOf(sales2, followUp.id)).status).toBe('cancelled')
  })

  it('cancels the reminder when the follow-up is deleted', async () => {
    const followUp = await post(sales2, '/api/followups', {
      customerId,
      method: 'visit',
      content: '上门',
      followedAt: '2026-11-18T03:00:00.000Z',
      nextFollowUpAt: '2026-12-01T01:00:00.000Z',
    })
    expect((await reminderOf(sales2, followUp.id)).status).toBe('pending')
    expect((await t.http('DELETE', `/api/followups/${followUp.id}`, { token: sales2 })).status).toBe(204)
    expect((await reminderOf(sales2, followUp.id)).status).toBe('cancelled')
  })

  it('schedules nothing for a follow-up without one', async () => {
    const followUp = await post(sales2, '/api/followups', {
      customerId,
      method: 'phone',
      content: '无下次',
      followedAt: '2026-11-18T04:00:00.000Z',
    })
    expect((await t.http('GET', `/api/reminders/${followUp.id}-next`, { token: sales2 })).status).toBe(404)
  })
})

describe('a customer’s primary contact', () => {
  it('can be deleted, and the customer then has none', async () => {
    const customer = await post(sales1, '/api/customers', { name: '主联系人删除有限公司' })
    const contact = await post(sales1, '/api/contacts', { customerId: customer.id, name: '主联系人' })
    expect(contact.isPrimary).toBe(true)
    const { status, text } = await t.http('DELETE', `/api/contacts/${contact.id}`, { token: sales1 })
    expect(`${status} ${text}`).toBe('204 ')
    const after = (await t.http('GET', `/api/customers/${customer.id}`, { token: sales1 })).json
    expect(after.primaryContactId ?? null).toBeNull()
  })
})

describe('a customer’s 商机 and 合同 tabs', () => {
  it('list its opportunities and contracts, and are 404 outside the caller’s scope', async () => {
    const customer = await post(sales1, '/api/customers', { name: '页签有限公司' })
    const opportunity = await post(sales1, '/api/opportunities', {
      customerId: customer.id,
      name: '页签商机',
    })
    const contract = await post(sales1, '/api/contracts', {
      number: 'TAB-001',
      name: '页签合同',
      customerId: customer.id,
      amount: 100,
      signedAt: '2026-11-01',
    })
    await post(sales1, '/api/opportunities', {
      customerId: (await post(sales1, '/api/customers', { name: '别家有限公司' })).id,
      name: '别家商机',
    })
    const opportunities = await t.http('GET', `/api/customers/${customer.id}/opportunities`, {
      token: sales1,
    })
    expect(opportunities.json.items.map((o: { id: string }) => o.id)).toEqual([opportunity.id])
    const contracts = await t.http('GET', `/api/customers/${customer.id}/contracts`, { token: mgr1 })
    expect(contracts.json.items.map((c: { id: string }) => c.id)).toEqual([contract.id])
    for (const tab of ['opportunities', 'contracts'])
      expect((await t.http('GET', `/api/customers/${customer.id}/${tab}`, { token: sales3 })).status).toBe(
        404,
      )
  })
})

describe('names, not ids', () => {
  it('an export names each record’s 负责人', async () => {
    await post(sales1, '/api/customers', { name: '导出负责人有限公司' })
    await post(mgr1, '/api/leads', { title: '导出负责人线索', assigneeId: 'sales1' })
    const rows = async (path: string) => {
      const { status, text } = await t.http('GET', path, { token: mgr1 })
      expect(status).toBe(200)
      const [header, ...lines] = text
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n')
      const column = header.split(',').indexOf('负责人')
      expect(column).toBeGreaterThanOrEqual(0)
      return lines.map((line) => line.split(',')[column])
    }
    expect(await rows(`/api/exports/customers?format=csv&q=${encodeURIComponent('导出负责人')}`)).toEqual([
      '王靓依',
    ])
    expect(await rows(`/api/exports/leads?format=csv&q=${encodeURIComponent('导出负责人')}`)).toEqual([
      '王靓依',
    ])
  })
})
