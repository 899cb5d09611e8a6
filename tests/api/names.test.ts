/**
 * `GET /api/names?refs=`: the names of the records a list page links to (a contact's 客户, a payment's
 * 合同), in one call; a record the caller may not see is left out, as if it did not exist.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'

const t = useStack()
let sales1: string
let sales2: string
let mine: string
let theirs: string
let contract: string
let contact: string

beforeAll(async () => {
  sales1 = await t.login('sales1')
  sales2 = await t.login('sales2')
  const post = async (token: string, path: string, body: unknown) => {
    const { status, json } = await t.http('POST', path, { token, body })
    expect(status).toBe(201)
    return json.id as string
  }
  mine = await post(sales1, '/api/customers', { name: '名称批量甲有限公司' })
  theirs = await post(sales2, '/api/customers', { name: '名称批量乙有限公司' })
  contract = await post(sales1, '/api/contracts', {
    customerId: mine,
    name: '名称批量合同',
    number: 'NAMES-001',
    amount: 1000,
    signedAt: '2026-11-01',
  })
  contact = await post(sales1, '/api/contacts', { customerId: mine, name: '名称联系人' })
})

const names = (token: string, refs: string) =>
  t.http('GET', `/api/names?refs=${encodeURIComponent(refs)}`, { token })

describe('names of linked records', () => {
  it('names customers, contracts and contacts the caller sees, in one call', async () => {
    const { status, json } = await names(
      sales1,
      `customers:${mine},contracts:${contract},contacts:${contact}`,
    )
    expect(status).toBe(200)
    expect(json.items).toEqual(
      expect.arrayContaining([
        { collection: 'customers', id: mine, name: '名称批量甲有限公司' },
        { collection: 'contracts', id: contract, name: '名称批量合同' },
        { collection: 'contacts', id: contact, name: '名称联系人' },
      ]),
    )
    expect(json.items).toHaveLength(3)
  })

  it('leaves out what the caller may not see', async () => {
    const { json } = await names(sales2, `customers:${mine},contracts:${contract},customers:${theirs}`)
    expect(json.items).toEqual([{ collection: 'customers', id: theirs, name: '名称批量乙有限公司' }])
  })

  it('refuses a part that names no record type, naming the parameter', async () => {
    const { status, json } = await names(sales1, `customers:${mine},secrets:${mine}`)
    expect(status).toBe(400)
    expect(json.error.code).toBe('validation.failed')
    expect(JSON.stringify(json)).toContain('refs')
  })
})
