/**
 * `q` on the lists that have no name of their own to search by: 跟进记录 by content, 回款计划 and 回款 by
 * remark, 发票 by 抬头 or number, 销售目标 by the department's or person's name — each still one Query.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { ddbUsage, useStack } from '../helpers/stack.js'

const t = useStack()
let admin: string

async function post(path: string, body: unknown) {
  const { status, json } = await t.http('POST', path, { token: admin, body })
  if (status !== 201) throw new Error(`${path}: ${status} ${JSON.stringify(json)}`)
  return json as { id: string }
}

/** The ids a list answers to `q`, and the DynamoDB calls it took. */
async function search(path: string, q: string) {
  const { status, json, headers } = await t.http('GET', `${path}?q=${encodeURIComponent(q)}`, {
    token: admin,
  })
  expect(status).toBe(200)
  return { ids: json.items.map((i: { id: string }) => i.id).sort(), calls: ddbUsage(headers).calls }
}

const made: Record<string, string> = {}

beforeAll(async () => {
  admin = await t.login('admin')
  const customer = await post('/api/customers', { name: '搜索测试客户' })
  for (const [key, content] of [
    ['visit', '上门拜访，演示了搜索测试报价'],
    ['call', '电话沟通交付时间'],
  ])
    made[`followup-${key}`] = (
      await post('/api/followups', {
        customerId: customer.id,
        method: 'visit',
        content,
        followedAt: '2026-03-01T02:00:00.000Z',
      })
    ).id
  const contract = await post('/api/contracts', {
    number: 'SEARCH-1',
    name: '搜索测试合同',
    customerId: customer.id,
    amount: 10000,
    signedAt: '2026-03-01',
  })
  for (const [key, remark] of [
    ['first', '搜索测试首付款'],
    ['final', '搜索测试尾款'],
  ]) {
    made[`plan-${key}`] = (
      await post('/api/payment-plans', {
        contractId: contract.id,
        dueDate: '2026-04-01',
        amount: 100,
        remark,
      })
    ).id
    made[`payment-${key}`] = (
      await post('/api/payments', { contractId: contract.id, receivedAt: '2026-03-02', amount: 100, remark })
    ).id
  }
  made['invoice-a'] = (
    await post('/api/invoices', {
      contractId: contract.id,
      title: '搜索甲抬头有限公司',
      number: 'SFP-9001',
      amount: 100,
      issuedAt: '2026-03-03',
    })
  ).id
  made['invoice-b'] = (
    await post('/api/invoices', {
      contractId: contract.id,
      title: '搜索乙抬头有限公司',
      number: 'SFP-9002',
      amount: 100,
      issuedAt: '2026-03-03',
    })
  ).id
  for (const subjectId of ['sales1', 'sales2'])
    made[`target-${subjectId}`] = (
      await post('/api/targets', {
        scope: 'user',
        subjectId,
        metric: 'contractAmount',
        year: 2026,
        months: Array(12).fill(100),
      })
    ).id
})

describe('q on lists without a name', () => {
  it('finds follow-ups by part of their content, in one Query', async () => {
    expect(await search('/api/followups', '搜索测试报价')).toEqual({
      ids: [made['followup-visit']],
      calls: 1,
    })
  })

  it('finds payment plans by part of their remark, in one Query', async () => {
    expect(await search('/api/payment-plans', '测试尾款')).toEqual({ ids: [made['plan-final']], calls: 1 })
  })

  it('finds payments by part of their remark, in one Query', async () => {
    expect(await search('/api/payments', '测试首付')).toEqual({ ids: [made['payment-first']], calls: 1 })
  })

  it('finds invoices by part of the 抬头 or of the number, in one Query', async () => {
    expect(await search('/api/invoices', '甲抬头')).toEqual({ ids: [made['invoice-a']], calls: 1 })
    expect(await search('/api/invoices', 'P-9002')).toEqual({ ids: [made['invoice-b']], calls: 1 })
  })

  it('finds targets by part of the person’s name, in one Query', async () => {
    const { json: users } = await t.http('GET', '/api/users', { token: admin })
    const sales2 = users.items.find((u: { id: string }) => u.id === 'sales2')
    expect(await search('/api/targets', sales2.name)).toEqual({ ids: [made['target-sales2']], calls: 1 })
  })
})

describe('q on reminders', () => {
  it('finds reminders by part of the title or of the record’s name, in mine as in the whole list', async () => {
    const customer = await post('/api/customers', { name: '提醒搜索客户' })
    const remind = (title: string) =>
      post('/api/reminders', {
        recordType: 'customer',
        recordId: customer.id,
        recordName: '提醒搜索客户',
        title,
        assigneeIds: ['admin'],
        dueAt: '2030-01-01T01:00:00.000Z',
      })
    const [callBack, visit] = [await remind('回访报价单'), await remind('上门拜访')]
    expect((await search('/api/reminders', '报价单')).ids).toEqual([callBack.id])
    expect((await search('/api/reminders', '提醒搜索')).ids).toEqual([callBack.id, visit.id].sort())
    const { json } = await t.http('GET', `/api/reminders?mine=true&q=${encodeURIComponent('拜访')}`, {
      token: admin,
    })
    expect(json.items.map((r: { id: string }) => r.id)).toEqual([visit.id])
  })
})
