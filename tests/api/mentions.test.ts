/**
 * @mentions in comments: each person mentioned who can see the record gets one DingTalk card opening it;
 * someone who cannot see it, or is not in the company, is refused by name and nothing is written.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { nowIso } from '../../functions/core/clock.js'
import { delivered, linkingTo, runScheduler } from '../scheduler/helpers.js'
import { useStack } from '../helpers/stack.js'

const t = useStack()
let sales1: string
let customerId: string
const comments = () => `/api/customers/${customerId}/comments`

beforeAll(async () => {
  sales1 = await t.login('sales1')
  for (const user of ['mgr1', 'sales2', 'admin']) await t.login(user)
  customerId = (await t.http('POST', '/api/customers', { token: sales1, body: { name: '提及测试有限公司' } }))
    .json.id
})

describe('@ in a comment', () => {
  it('sends each person mentioned one card that opens the record', async () => {
    const { status, json } = await t.http('POST', comments(), {
      token: sales1,
      body: { content: '请看一下这家的报价', mentionIds: ['mgr1', 'admin', 'mgr1'] },
    })
    expect(status).toBe(201)
    expect(json.mentionIds).toEqual(['mgr1', 'admin'])
    await runScheduler(t, nowIso())
    const cards = linkingTo(await delivered(t), customerId).filter((m) => m.title.includes('@ 了你'))
    expect(cards).toHaveLength(1)
    expect(cards[0].title).toBe('王靓依在评论中 @ 了你')
    expect(cards[0].to.userIds?.sort()).toEqual(['admin', 'mgr1'])
    expect(cards[0].text).toContain('提及测试有限公司')
    expect(decodeURIComponent(cards[0].links.join())).toContain('pages/customer/detail')
  })

  it('refuses someone who cannot see the record, by name, and writes nothing', async () => {
    const before = (await t.http('GET', comments(), { token: sales1 })).json.items.length
    const { status, json } = await t.http('POST', comments(), {
      token: sales1,
      body: { content: '同事看看', mentionIds: ['sales2'] },
    })
    expect(`${status} ${json.error.code}`).toBe('422 comment.mention_cannot_see')
    expect(json.error.message).toContain('郑纬祺')
    expect((await t.http('GET', comments(), { token: sales1 })).json.items).toHaveLength(before)
  })

  it('refuses someone who is not in the company', async () => {
    const { status, json } = await t.http('POST', comments(), {
      token: sales1,
      body: { content: '谁？', mentionIds: ['nobody'] },
    })
    expect(`${status} ${json.error.code}`).toBe('422 comment.mention_invalid')
  })

  it('tells no one when the writer mentions themselves', async () => {
    const { status, json } = await t.http('POST', comments(), {
      token: sales1,
      body: { content: '备忘', mentionIds: ['sales1'] },
    })
    expect(status).toBe(201)
    expect(json.mentionIds).toBeUndefined()
  })

  it('lists comments with the people they mention', async () => {
    const { json } = await t.http('GET', comments(), { token: sales1 })
    expect(
      json.items.find((c: { content: string }) => c.content === '请看一下这家的报价').mentionIds,
    ).toEqual(['mgr1', 'admin'])
  })
})
