/**
 * 动态, 评论 and 赞 on every record, and 工作台 动态: a contract's payments, invoices and field changes
 * are on its timeline and its customer's; every record collection answers its timeline, comments and
 * likes; the feed shows the newest activity of what the caller may see, one Query a page, names not ids.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { nowIso } from '../../functions/core/clock.js'
import { collections, nouns } from '../../shared/nouns.js'
import { ddbUsage, useStack } from '../helpers/stack.js'
import { delivered, linkingTo, runScheduler } from '../scheduler/helpers.js'

const t = useStack()
let sales1: string
let sales3: string
let mgr1: string
let admin: string
const ids: Record<string, string> = {}

async function post(token: string, path: string, body: unknown) {
  const { status, json } = await t.http('POST', path, { token, body })
  expect(status, `${path}: ${JSON.stringify(json)}`).toBeLessThan(300)
  return json
}
const summaries = async (token: string, path: string) =>
  (await t.http('GET', path, { token })).json.items.map((a: { summary: string }) => a.summary) as string[]

beforeAll(async () => {
  sales1 = await t.login('sales1')
  sales3 = await t.login('sales3')
  mgr1 = await t.login('mgr1')
  admin = await t.login('admin')
  ids.customers = (await post(sales1, '/api/customers', { name: '动态测试有限公司' })).id
  const customerId = ids.customers
  ids.contacts = (await post(sales1, '/api/contacts', { customerId, name: '动态联系人' })).id
  ids.followups = (
    await post(sales1, '/api/followups', {
      customerId,
      method: 'visit',
      content: '上门拜访',
      followedAt: '2026-11-01T02:00:00.000Z',
    })
  ).id
  ids.leads = (await post(sales1, '/api/leads', { title: '动态线索' })).id
  ids.opportunities = (
    await post(sales1, '/api/opportunities', { customerId, name: '动态商机', amount: 500 })
  ).id
  ids.contracts = (
    await post(sales1, '/api/contracts', {
      number: 'DT-001',
      name: '动态合同',
      customerId,
      amount: 1000,
      signedAt: '2026-11-01',
    })
  ).id
  const contractId = ids.contracts
  ids['payment-plans'] = (
    await post(sales1, '/api/payment-plans', { contractId, dueDate: '2026-12-01', amount: 500 })
  ).id
  ids.payments = (
    await post(sales1, '/api/payments', { contractId, receivedAt: '2026-11-02', amount: 300 })
  ).id
  ids.invoices = (
    await post(sales1, '/api/invoices', {
      contractId,
      title: '水电费等',
      amount: 300,
      issuedAt: '2026-11-03',
    })
  ).id
  ids.targets = (
    await post(admin, '/api/targets', {
      scope: 'user',
      subjectId: 'sales1',
      metric: 'contractAmount',
      year: 2026,
      months: Array(12).fill(100),
    })
  ).id
}, 60_000)

describe('动态 of a contract', () => {
  it('shows its payments, invoices and field changes, and they are on its customer’s timeline too', async () => {
    const contract = (await t.http('GET', `/api/contracts/${ids.contracts}`, { token: sales1 })).json
    await t.http('PATCH', `/api/contracts/${ids.contracts}`, {
      token: sales1,
      body: { version: contract.version, name: '动态合同（改）' },
    })
    const onContract = await summaries(sales1, `/api/contracts/${ids.contracts}/timeline`)
    expect(onContract[0]).toBe('修改了合同「DT-001 动态合同（改）」')
    expect(onContract.slice(1, 3)).toEqual([
      '创建了发票「水电费等 ¥300」（合同「DT-001 动态合同」）',
      '创建了回款「2026-11-02 ¥300」（合同「DT-001 动态合同」）',
    ])
    expect(onContract[3]).toMatch(/^创建了回款计划「.*」（合同「DT-001 动态合同」）$/)
    expect(onContract.at(-1)).toBe('创建了合同「DT-001 动态合同」')
    const page = (await t.http('GET', `/api/contracts/${ids.contracts}/timeline`, { token: sales1 })).json
    expect(page.items[0].changes).toEqual([{ field: 'name', from: '动态合同', to: '动态合同（改）' }])
    expect(page.items[0].actorName).toBe('王靓依')
    const onCustomer = await summaries(sales1, `/api/customers/${ids.customers}/timeline`)
    for (const entry of onContract) expect(onCustomer).toContain(entry)
  })

  it('takes a comment with an @mention: on the contract’s 动态, a card to the person mentioned', async () => {
    const comment = await post(sales1, `/api/contracts/${ids.contracts}/comments`, {
      content: '请财务确认回款',
      mentionIds: ['mgr1'],
    })
    expect(comment.mentionIds).toEqual(['mgr1'])
    const onContract = await summaries(sales1, `/api/contracts/${ids.contracts}/timeline`)
    expect(onContract[0]).toBe('评论了「DT-001 动态合同（改）」：请财务确认回款')
    await runScheduler(t, nowIso())
    const cards = linkingTo(await delivered(t), ids.contracts).filter((m) => m.title.includes('@ 了你'))
    expect(cards.map((c) => c.to.userIds)).toEqual([['mgr1']])
    expect(decodeURIComponent(cards[0].links.join())).toContain('pages/contract/detail')
  })

  it('refuses to @ someone who cannot see the contract', async () => {
    const { status, json } = await t.http('POST', `/api/contracts/${ids.contracts}/comments`, {
      token: sales1,
      body: { content: '看看', mentionIds: ['sales3'] },
    })
    expect(`${status} ${json.error.code}`).toBe('422 comment.mention_cannot_see')
  })
})

describe('the recycle bin', () => {
  it('posts a restore to the record’s 动态 and its customer’s', async () => {
    const customerId = ids.customers
    const restored: Record<string, string> = {
      opportunities: (await post(sales1, '/api/opportunities', { customerId, name: '误删商机', amount: 9 }))
        .id,
      contacts: (await post(sales1, '/api/contacts', { customerId, name: '误删联系人' })).id,
    }
    const labels: Record<string, string> = {
      opportunities: '商机「误删商机」',
      contacts: '联系人「误删联系人」',
    }
    for (const [collection, id] of Object.entries(restored)) {
      expect((await t.http('DELETE', `/api/${collection}/${id}`, { token: sales1 })).status).toBe(204)
      await post(sales1, `/api/recycle-bin/${collection}/${id}/restore`, {})
      const said = `从回收站恢复了${labels[collection]}`
      expect((await summaries(sales1, `/api/${collection}/${id}/timeline`))[0]).toBe(said)
      expect(await summaries(sales1, `/api/customers/${customerId}/timeline`)).toContain(said)
    }
  })
})

describe('every record collection', () => {
  const social = collections.filter((c) => nouns[c].social)

  it('answers its timeline, comments and likes', async () => {
    expect(social).toEqual([
      'leads',
      'customers',
      'contacts',
      'followups',
      'opportunities',
      'contracts',
      'payment-plans',
      'payments',
      'invoices',
      'targets',
    ])
    const answers: string[] = []
    for (const c of social) {
      const token = c === 'targets' ? admin : sales1
      const id = ids[c]
      await post(token, `/api/${c}/${id}/comments`, { content: `评论${c}` })
      const liked = await post(token, `/api/${c}/${id}/likes`, {})
      const comments = (await t.http('GET', `/api/${c}/${id}/comments`, { token })).json.items
      const timeline = await summaries(token, `/api/${c}/${id}/timeline`)
      answers.push(
        `${c}: ${comments[0]?.content} ${liked.count} ${timeline.some((s) => s.startsWith('赞了'))} ${timeline.some((s) => s.includes(`评论${c}`))}`,
      )
    }
    expect(answers).toEqual(social.map((c) => `${c}: 评论${c} 1 true true`))
  })

  it('is 404 to someone outside its scope', async () => {
    const answers = []
    for (const c of social.filter((c) => c !== 'targets')) {
      const { status } = await t.http('GET', `/api/${c}/${ids[c]}/timeline`, { token: sales3 })
      answers.push(`${c} ${status}`)
    }
    expect(answers).toEqual(social.filter((c) => c !== 'targets').map((c) => `${c} 404`))
  })

  it('records a stage move on the opportunity and on its customer, with the stages’ names', async () => {
    await post(sales1, `/api/opportunities/${ids.opportunities}/stage`, { stageId: 's2', note: '约了见面' })
    const page = (await t.http('GET', `/api/opportunities/${ids.opportunities}/timeline`, { token: sales1 }))
      .json
    expect(page.items[0].summary).toBe('将商机「动态商机」从「初步沟通」推进到「见面拜访」：约了见面')
    expect(page.items[0].changes[0]).toMatchObject({
      field: 'stageId',
      fromName: '初步沟通',
      toName: '见面拜访',
    })
    expect(await summaries(sales1, `/api/customers/${ids.customers}/timeline`)).toContain(
      page.items[0].summary,
    )
  })
})

describe('工作台 动态 (GET /api/feed)', () => {
  it('shows a member the newest activity of their own records, in one Query, by name', async () => {
    const res = await t.http('GET', '/api/feed?limit=5', { token: sales1 })
    expect(res.status).toBe(200)
    expect(ddbUsage(res.headers).calls).toBe(1)
    expect(res.json.items).toHaveLength(5)
    expect(res.json.items[0].summary).toContain('推进到「见面拜访」')
    expect(res.json.items[0].actorName).toBe('王靓依')
    const ats = res.json.items.map((a: { at: string }) => a.at)
    expect([...ats].sort().reverse()).toEqual(ats)
    const next = await t.http('GET', `/api/feed?limit=5&cursor=${res.json.nextCursor}`, { token: sales1 })
    expect(ddbUsage(next.headers).calls).toBe(1)
    const seen = new Set(res.json.items.map((a: { id: string }) => a.id))
    expect(next.json.items.filter((a: { id: string }) => seen.has(a.id))).toEqual([])
  })

  it('shows each activity once, even when several people hold the record', async () => {
    const all: { id: string; recordId: string }[] = []
    let cursor: string | null = null
    do {
      const path: string = `/api/feed?limit=50${cursor ? `&cursor=${cursor}` : ''}`
      const { json } = await t.http('GET', path, { token: admin })
      all.push(...json.items)
      cursor = json.nextCursor
    } while (cursor)
    expect(new Set(all.map((a) => a.id)).size).toBe(all.length)
    expect(all.some((a) => a.recordId === ids.invoices)).toBe(true)
  })

  it('shows a manager their department’s activity and a member of another department nothing of it', async () => {
    expect(ddbUsage((await t.http('GET', '/api/feed?limit=5', { token: mgr1 })).headers).calls).toBe(1)
    const manager = await t.http('GET', '/api/feed?limit=50', { token: mgr1 })
    expect(manager.json.items.some((a: { recordId: string }) => a.recordId === ids.contracts)).toBe(true)
    const other = (await t.http('GET', '/api/feed?limit=50', { token: sales3 })).json
    const theirs = new Set(Object.values(ids))
    expect(other.items.filter((a: { recordId: string }) => theirs.has(a.recordId))).toEqual([])
  })
})
