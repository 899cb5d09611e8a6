import { beforeAll, describe, expect, it } from 'vitest'
import { runningFrom, setClock } from '../../functions/core/clock.js'
import { delivered, linkingTo, runScheduler } from '../scheduler/helpers.js'
import { useStack } from '../helpers/stack.js'

/**
 * 公海自动回收 "no won deal for M days": a won deal (a new contract, an opportunity moved to a won stage)
 * restarts the customer's clock, and the clock's entry in the recycle index moves in the deal's own
 * transaction, so both the recycle and the warning before it count from the deal.
 */
const t = useStack()

/** Work done as if the time were `time` (the server runs in this process and shares the clock). */
async function at<T>(time: string, work: (api: Api) => Promise<T>) {
  setClock(runningFrom(Date.parse(time)))
  try {
    return await work(api(await t.login('sales1')))
  } finally {
    setClock(undefined)
  }
}

type Api = ReturnType<typeof api>
const api = (token: string) => ({
  create: async (path: string, body: unknown) => {
    const res = await t.http('POST', path, { token, body })
    expect(res.status, res.text).toBe(201)
    return res.json as { id: string }
  },
  post: (path: string, body: unknown) => t.http('POST', path, { token, body }),
})

let admin: string
beforeAll(async () => {
  admin = await t.login('admin')
  const rules = (await t.http('GET', '/api/settings/pool', { token: admin })).json
  const saved = await t.http('PUT', '/api/settings/pool', {
    token: admin,
    body: {
      ...rules,
      recycle: { C: { noFollowUpDays: null, noWonDays: 30 }, D: { noFollowUpDays: null, noWonDays: 30 } },
      warnDays: 3,
      exemptOpenOpportunity: false,
    },
  })
  expect(saved.status, saved.text).toBe(200)
})

const ownerOf = async (id: string) =>
  ((await t.http('GET', `/api/customers/${id}`, { token: admin })).json.ownerId ?? undefined) as
    string | undefined

const cardsAbout = async (id: string, title: string) =>
  linkingTo(await delivered(t), `id=${id}`).filter((m) => m.title === title)

describe('the "no won deal" recycle clock', () => {
  it('keeps a customer with a contract signed within M days, and recycles it M days after that contract', async () => {
    const [signed, unsigned] = await at('2028-01-01T10:00:00+08:00', async (sales1) => [
      await sales1.create('/api/customers', { name: '签了合同的客户', category: 'D' }),
      await sales1.create('/api/customers', { name: '没签合同的客户', category: 'D' }),
    ])
    await at('2028-01-21T10:00:00+08:00', (sales1) =>
      sales1.create('/api/contracts', {
        number: 'WON-CLOCK-1',
        name: '年度服务合同',
        customerId: signed.id,
        amount: 5000,
        signedAt: '2028-01-21',
      }),
    )

    await runScheduler(t, '2028-02-01T08:00:00+08:00')
    expect(await ownerOf(unsigned.id)).toBeUndefined()
    expect(await ownerOf(signed.id)).toBe('sales1')
    await runScheduler(t, '2028-02-20T08:00:00+08:00')
    expect(await ownerOf(signed.id)).toBe('sales1')
    await runScheduler(t, '2028-02-21T08:00:00+08:00')
    expect(await ownerOf(signed.id)).toBeUndefined()
    const [card] = await cardsAbout(signed.id, '客户已退回公海')
    expect(card.to.userIds).toEqual(['sales1'])
    expect(card.text).toContain('超过 30 天未成交')
  })

  it('restarts the clock when an opportunity of the customer moves to a won stage', async () => {
    const customer = await at('2028-04-01T10:00:00+08:00', async (sales1) => {
      const created = await sales1.create('/api/customers', { name: '赢单的客户', category: 'C' })
      const deal = await sales1.create('/api/opportunities', { name: '大单', customerId: created.id })
      return { ...created, dealId: deal.id }
    })
    await at('2028-04-21T10:00:00+08:00', async (sales1) => {
      const moved = await sales1.post(`/api/opportunities/${customer.dealId}/stage`, { stageId: 'won' })
      expect(moved.status, moved.text).toBe(200)
    })

    await runScheduler(t, '2028-05-02T08:00:00+08:00')
    expect(await ownerOf(customer.id)).toBe('sales1')
    await runScheduler(t, '2028-05-22T08:00:00+08:00')
    expect(await ownerOf(customer.id)).toBeUndefined()
  })

  it('warns the owner K days before the clock a contract restarted runs out (the index entry moved with it)', async () => {
    const customer = await at('2028-07-01T10:00:00+08:00', (sales1) =>
      sales1.create('/api/customers', { name: '合同后待预警的客户', category: 'D' }),
    )
    await at('2028-07-21T10:00:00+08:00', (sales1) =>
      sales1.create('/api/contracts', {
        number: 'WON-CLOCK-2',
        name: '续约合同',
        customerId: customer.id,
        amount: 800,
        signedAt: '2028-07-21',
      }),
    )

    await runScheduler(t, '2028-08-17T08:00:00+08:00')
    expect(await cardsAbout(customer.id, '客户即将退回公海')).toHaveLength(0)
    await runScheduler(t, '2028-08-18T08:00:00+08:00')
    const warnings = await cardsAbout(customer.id, '客户即将退回公海')
    expect(warnings).toHaveLength(1)
    expect(warnings[0].text).toContain('将于 2028-08-21 退回公海')
  })
})
