import { beforeAll, describe, expect, it } from 'vitest'
import { ddbUsage, useStack } from '../helpers/stack.js'

/**
 * The search index (functions/domain/search/entries.ts): one entry per position of a name, in its bigram's
 * partition under the characters that follow, so a search reads only its hits.
 */
const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['admin', 'sales1']) tokens[user] = await t.login(user)
})

const post = (path: string, body: unknown) => t.http('POST', path, { token: tokens.sales1, body })
const search = (q: string) =>
  t.http('GET', `/api/search?q=${encodeURIComponent(q)}`, { token: tokens.sales1 })
const found = async (q: string) =>
  (await search(q)).json.items.map((h: { name: string }) => h.name) as string[]
const customer = async (name: string) => (await post('/api/customers', { name })).json

describe('search by any part of a name', () => {
  it('finds a name by a part in its middle and by its last two characters', async () => {
    await customer('温州锦程华泰电子有限公司')
    expect(await found('锦程华泰')).toEqual(['温州锦程华泰电子有限公司'])
    expect(await found('泰电子')).toEqual(['温州锦程华泰电子有限公司'])
  })

  it('finds a Latin name by a part whatever its case and spaces', async () => {
    await customer('Blue Ocean Trading Ltd.')
    expect(await found('oceantr')).toEqual(['Blue Ocean Trading Ltd.'])
    expect(await found('TRADING')).toEqual(['Blue Ocean Trading Ltd.'])
  })

  it('finds a part that starts at the second place its first bigram occurs, once', async () => {
    await customer('中国中国银河证券')
    expect(await found('中国银河')).toEqual(['中国中国银河证券'])
    expect(await found('中国')).toContain('中国中国银河证券')
    expect((await found('中国')).filter((n) => n === '中国中国银河证券')).toHaveLength(1)
  })

  it('finds a part longer than the characters each entry keeps after its bigram', async () => {
    const long = '上海浦东新区张江高科技园区软件产业基地第三期信息技术服务中心有限公司'
    await customer(long)
    expect(await found(long.slice(1, 38))).toEqual([long])
    expect(await found(`${long.slice(1, 37)}X`)).toEqual([])
  })

  it('stops finding the old name after a rename and finds the new one', async () => {
    const c = await customer('福州德润食品有限公司')
    const renamed = await t.http('PATCH', `/api/customers/${c.id}`, {
      token: tokens.sales1,
      body: { name: '福州德润医药有限公司', version: c.version },
    })
    expect(renamed.status).toBe(200)
    expect(await found('德润食品')).toEqual([])
    expect(await found('德润医药')).toEqual(['福州德润医药有限公司'])
  })

  it('reads only its hits: among 60 names sharing its first bigram, the posting partition on the table and its three indexes, then the hit', async () => {
    for (let i = 0; i < 60; i++) await customer(`合肥星河${i}号物流有限公司`)
    await customer('合肥星河远航建材有限公司')
    const res = await search('星河远航')
    expect(res.json.items.map((h: { name: string }) => h.name)).toEqual(['合肥星河远航建材有限公司'])
    // four Queries at once (postings sit on the table key and on gsi1–3) and the BatchGetItem of the hit:
    // half a unit each, not the 60 entries of 星河
    expect(ddbUsage(res.headers)).toMatchObject({ calls: 5, rcu: 1 })
  })

  it('finds a phone by any four or more consecutive digits, and not by digits it does not contain', async () => {
    await post('/api/customers', { name: '嘉兴尾号测试贸易有限公司', phone: '13957418826' })
    for (const digits of ['1395', '5741', '8826', '574188', '13957418826'])
      expect(await found(digits)).toContain('嘉兴尾号测试贸易有限公司')
    expect(await found('8827')).not.toContain('嘉兴尾号测试贸易有限公司')
  })

  it('finds opportunities and contracts by a part of their name', async () => {
    const c = await customer('绍兴兰亭书画有限公司')
    const opportunity = await post('/api/opportunities', { name: '兰亭年度装裱项目', customerId: c.id })
    expect(opportunity.status, opportunity.text).toBe(201)
    const contract = await post('/api/contracts', {
      number: 'HT-LT-1',
      name: '兰亭装裱框架合同',
      customerId: c.id,
      amount: 1000,
      signedAt: '2026-11-18',
    })
    expect(contract.status, contract.text).toBe(201)
    const hits = (await search('亭年度装裱')).json.items
    expect(hits.map((h: { collection: string; name: string }) => [h.collection, h.name])).toEqual([
      ['opportunities', '兰亭年度装裱项目'],
    ])
    expect((await found('装裱框架')).length).toBe(1)
    expect((await search('装裱')).json.items.map((h: { collection: string }) => h.collection).sort()).toEqual(
      ['contracts', 'opportunities'],
    )
  })

  it('shows another member’s customer, opportunity or contact to nobody outside its scope', async () => {
    const c = await customer('丽水云和木玩有限公司')
    await post('/api/opportunities', { name: '云和木玩出口项目', customerId: c.id })
    const other = await t.login('sales2')
    const theirs = await t.http('GET', `/api/search?q=${encodeURIComponent('云和木玩')}`, { token: other })
    expect(theirs.json.items).toEqual([])
    const admin = await t.http('GET', `/api/search?q=${encodeURIComponent('云和木玩')}`, {
      token: tokens.admin,
    })
    expect(admin.json.items).toHaveLength(2)
  })
})
