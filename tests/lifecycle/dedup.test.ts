import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'

const t = useStack()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  for (const user of ['sales1', 'sales3']) tokens[user] = await t.login(user)
})

const post = (user: string, path: string, body: unknown) =>
  t.http('POST', path, { token: tokens[user], body })
const get = (user: string, path: string) => t.http('GET', path, { token: tokens[user] })
const duplicates = async (user: string, name: string) =>
  (await get(user, `/api/customers/duplicates?name=${encodeURIComponent(name)}`)).json.items as {
    id: string
    reason: string
  }[]

describe('duplicate check and search by part of a name', () => {
  it('finds a customer whose whole name is a part of the name checked (a shorter name inside it)', async () => {
    const { json: short } = await post('sales1', '/api/customers', { name: '明达云帆' })
    const found = await duplicates('sales3', '杭州明达云帆科技有限公司')
    expect(found).toContainEqual(expect.objectContaining({ id: short.id, reason: 'name_contains' }))
  })

  it('finds a customer whose name contains the one checked, among many sharing its bigrams', async () => {
    for (let i = 0; i < 60; i++) await post('sales1', '/api/customers', { name: `宁波海${i}号贸易` })
    const { json: target } = await post('sales1', '/api/customers', { name: '宁波海运集装箱有限公司' })
    const found = await duplicates('sales3', '宁波海运')
    expect(found).toContainEqual(expect.objectContaining({ id: target.id, reason: 'name_contains' }))
    const search = await get('sales1', `/api/search?q=${encodeURIComponent('海运集装')}`)
    expect(search.json.items.map((h: { id: string }) => h.id)).toContain(target.id)
  })

  it('leaves out names that only share bigrams with the one checked', async () => {
    const { json: other } = await post('sales1', '/api/customers', { name: '运达海宁物流' })
    const found = await duplicates('sales3', '宁波海运')
    expect(found.map((c) => c.id)).not.toContain(other.id)
  })

  it('takes 深圳市… and 深圳… (and full-width brackets) for the same name', async () => {
    const { json: city } = await post('sales1', '/api/customers', { name: '深圳市审计网络科技有限公司' })
    const found = await duplicates('sales3', '深圳审计网络科技有限公司')
    expect(found).toContainEqual(expect.objectContaining({ id: city.id, reason: 'same_name' }))
    const { json: bracketed } = await post('sales1', '/api/customers', { name: '华星（中国）光电有限公司' })
    expect(await duplicates('sales3', '华星(中国)光电有限公司')).toContainEqual(
      expect.objectContaining({ id: bracketed.id, reason: 'same_name' }),
    )
  })

  it('compares the part of a name after 有限公司 (a branch), not only what comes before it', async () => {
    const { json: branch } = await post('sales1', '/api/customers', {
      name: '温州瓯江电器有限公司乐清分公司',
    })
    expect(await duplicates('sales3', '温州瓯江电器乐清分公司')).toContainEqual(
      expect.objectContaining({ id: branch.id, reason: 'same_name' }),
    )
    expect((await duplicates('sales3', '温州瓯江电器有限公司瑞安分公司')).map((c) => c.reason)).not.toContain(
      'same_name',
    )
  })
})
