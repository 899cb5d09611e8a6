import { now } from '../../functions/core/clock.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'
import { delivered, linkingTo, runScheduler } from './helpers.js'

const t = useStack()
let mgr1: string

beforeAll(async () => {
  mgr1 = await t.login('mgr1')
})

describe('cards for changes written elsewhere (through the outbox)', () => {
  it('sends the assignee of a lead one card that opens the lead', async () => {
    const { status, json: lead } = await t.http('POST', '/api/leads', {
      token: mgr1,
      body: { title: '华东区代理咨询', contactName: '周先生', companyName: '杭州某某贸易' },
    })
    expect(status).toBe(201)
    const assigned = await t.http('POST', `/api/leads/${lead.id}/assign`, {
      token: mgr1,
      body: { assigneeId: 'sales2' },
    })
    expect(assigned.status).toBe(200)
    const inAMinute = new Date(now() + 60_000).toISOString()
    await runScheduler(t, inAMinute)
    await runScheduler(t, inAMinute)
    const cards = linkingTo(await delivered(t), `id=${lead.id}`)
    expect(cards).toHaveLength(1)
    expect(cards[0]).toMatchObject({ kind: 'work_notification', to: { userIds: ['sales2'] } })
    expect(cards[0].text).toContain('华东区代理咨询')
  })
})
