import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'
import { csv, download, listAll, readXlsx, upload } from './files.js'

/**
 * Import and export of 商机, 合同, 跟进, 回款计划, 回款, 发票 and 销售目标: each exported list re-imported with
 * `skip` creates nothing (every row finds its record by the names the export wrote); references are by
 * name, and a name that is unknown or names several records fails its row, saying so.
 */
const t = useStack()
let token: string

const post = async (path: string, body: unknown) => {
  const { status, json } = await t.http('POST', path, { token, body })
  if (status !== 201) throw new Error(`${path}: ${status} ${JSON.stringify(json)}`)
  return json
}

beforeAll(async () => {
  token = await t.login('sales1')
  const customer = await post('/api/customers', { name: '往返导入有限公司' })
  await post('/api/opportunities', {
    name: '往返商机',
    customerId: customer.id,
    amount: 5000,
    importance: 'high',
  })
  const contract = await post('/api/contracts', {
    number: 'RT-001',
    name: '往返合同',
    customerId: customer.id,
    amount: 9000.5,
    signedAt: '2026-10-01',
  })
  await post('/api/followups', {
    customerId: customer.id,
    method: 'phone',
    content: '电话沟通报价',
    followedAt: '2026-11-02T15:30:00+08:00',
  })
  await post('/api/payment-plans', { contractId: contract.id, dueDate: '2026-12-01', amount: 4000 })
  await post('/api/payments', {
    contractId: contract.id,
    receivedAt: '2026-11-03',
    amount: 1000,
    method: 'cash',
  })
  await post('/api/invoices', {
    contractId: contract.id,
    title: '往返导入有限公司',
    amount: 1000,
    issuedAt: '2026-11-04',
  })
  const admin = await t.login('admin')
  await t.http('POST', '/api/targets', {
    token: admin,
    body: {
      scope: 'user',
      subjectId: 'sales1',
      metric: 'contractAmount',
      year: 2026,
      months: Array(12).fill(100),
    },
  })
})

const COLLECTIONS = [
  'opportunities',
  'contracts',
  'followups',
  'payment-plans',
  'payments',
  'invoices',
  'targets',
]

describe('export, then import with skip', () => {
  it.each(COLLECTIONS)('re-imports exported %s and creates nothing', async (collection) => {
    const user = collection === 'targets' ? await t.login('admin') : token
    const exported = await download(t, user, `/api/exports/${collection}?format=xlsx`)
    expect(exported.status).toBe(200)
    const rows = await readXlsx(exported.bytes)
    expect(rows.length).toBeGreaterThan(1)
    // names, never ids
    expect(rows.flat().join(' ')).not.toMatch(/\b[0-9A-Z]{26}\b/)
    const { json } = await upload(t, user, collection, exported.bytes, { policy: 'skip' })
    expect(json, JSON.stringify(json.errors)).toMatchObject({
      status: 'done',
      created: 0,
      failed: 0,
      skipped: rows.length - 1,
    })
  })
})

describe('references by name', () => {
  it('creates a contract, its payment and a follow-up from rows that name the customer, the owner and the contract', async () => {
    const contracts = csv([
      ['合同编号', '合同名称', '客户名称', '合同金额', '签约日期', '负责人', '合同类型'],
      ['RT-NEW', '导入的合同', '往返导入有限公司', '1,200.50', '2026-11-05', '王靓依', '服务合同'],
    ])
    expect((await upload(t, token, 'contracts', contracts, {}, 'c.csv')).json).toMatchObject({
      created: 1,
      failed: 0,
    })
    const payments = csv([
      ['合同编号', '回款日期', '回款金额', '回款方式'],
      ['RT-NEW', '2026-11-06', '200', '银行转账'],
    ])
    expect((await upload(t, token, 'payments', payments, {}, 'p.csv')).json).toMatchObject({ created: 1 })
    const [created] = await listAll(t, token, '/api/contracts?q=RT-NEW')
    expect(created).toMatchObject({
      name: '导入的合同',
      type: 'service',
      amount: 1200.5,
      receivedAmount: 200,
    })
    const followups = csv(
      [
        ['客户名称', '跟进方式', '跟进内容', '跟进时间'],
        ['往返导入有限公司', '拜访', 'GBK 文件里的跟进', '2026-11-07 09:00'],
      ],
      'gbk',
    )
    expect((await upload(t, token, 'followups', followups, {}, 'f.csv')).json).toMatchObject({ created: 1 })
  })

  it('fails a row whose customer is unknown or ambiguous, or whose stage is unknown, with the reason', async () => {
    await post('/api/customers', { name: '重名客户' })
    await post('/api/customers', { name: '重名客户' })
    const file = csv([
      ['商机名称', '客户名称', '销售阶段'],
      ['甲', '不存在的客户', ''],
      ['乙', '重名客户', ''],
      ['丙', '往返导入有限公司', '不存在的阶段'],
      ['丁', '往返导入有限公司', '商务谈判'],
    ])
    const { json } = await upload(t, token, 'opportunities', file, {}, 'o.csv')
    expect(json).toMatchObject({ created: 1, failed: 3 })
    expect(json.errors).toEqual([
      { row: 2, message: '找不到客户「不存在的客户」（或不在你的权限范围内）' },
      { row: 3, message: '有 2 个客户名为「重名客户」，无法确定是哪一个' },
      { row: 4, message: '找不到销售阶段「不存在的阶段」（或不在你的权限范围内）' },
    ])
  })
})
