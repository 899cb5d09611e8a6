import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'
import { finish, upload, xlsx } from './files.js'

const t = useStack({ seed: false })
let token: string

beforeAll(async () => {
  token = await t.login('sales2')
})

/** Customers by the thousand; `bench/imports.ts` imports 20 000 of them. */
export const largeCustomerRows = (count: number, prefix = '大批量导入客户') => [
  ['客户名称', '客户分类', '手机', '地址'],
  ...Array.from({ length: count }, (_, i) => [
    `${prefix}${String(i).padStart(5, '0')}有限公司`,
    'ABCD'[i % 4],
    `15${String(i).padStart(9, '0')}`,
    '浙江省杭州市',
  ]),
]

describe('a 1 000-row XLSX of customers', () => {
  it('imports every row with the right counts, and the list counts them', async () => {
    const file = await xlsx(largeCustomerRows(1_000))
    const { status, json } = await upload(t, token, 'customers', file, { policy: 'create' })
    expect(status).toBe(201)
    const job = await finish(t, token, json)
    expect(job).toMatchObject({
      status: 'done',
      total: 1_000,
      processed: 1_000,
      created: 1_000,
      failed: 0,
    })
    const { json: page } = await t.http('GET', '/api/customers?limit=1', { token })
    expect(page.total).toBe(1_000)
  }, 120_000)
})
