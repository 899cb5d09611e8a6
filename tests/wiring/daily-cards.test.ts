import { describe, expect, it } from 'vitest'
import { runningFrom, setClock } from '../../functions/core/clock.js'
import { sendBriefings, warnBeforeRecycle } from '../../functions/domain/scheduler/daily-jobs.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { delivered, linkingTo, runScheduler } from '../scheduler/helpers.js'
import { useStack } from '../helpers/stack.js'

/**
 * The scheduler's daily jobs over HTTP (`POST /__dev/scheduler/run {now}`): the pool's auto-recycle with
 * its warning K days before and the card to the former owner, and the managers' briefing card with
 * yesterday's figures of their departments (the whole company's for an admin).
 */
const t = useStack()
const tenant = { tenantId: DEMO_CORP_ID, timezone: 'Asia/Shanghai', dailyAt: '08:00' }

/** Work done as if the time were `at` (the server runs in this process and shares the clock). */
async function at<T>(time: string, work: (login: (user: string) => Promise<Api>) => Promise<T>) {
  setClock(runningFrom(Date.parse(time)))
  try {
    return await work(async (user) => api(await t.login(user)))
  } finally {
    setClock(undefined)
  }
}

type Api = ReturnType<typeof api>
const api = (token: string) => ({
  get: (path: string) => t.http('GET', path, { token }),
  put: (path: string, body: unknown) => t.http('PUT', path, { token, body }),
  create: async (path: string, body: unknown) => {
    const res = await t.http('POST', path, { token, body })
    expect(res.status, res.text).toBe(201)
    return res.json as { id: string }
  },
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token, body }),
})

const cardsAbout = async (id: string, title: string) =>
  linkingTo(await delivered(t), `id=${id}`).filter((m) => m.title === title)

describe('the pool’s daily auto-recycle', () => {
  let idle: { id: string }
  let busy: { id: string }

  it('warns the owner K days before the recycle date, once, and not about exempt customers', async () => {
    await at('2027-03-01T10:00:00+08:00', async (login) => {
      const admin = await login('admin')
      const sales1 = await login('sales1')
      const rules = (await admin.get('/api/settings/pool')).json
      const saved = await admin.put('/api/settings/pool', {
        ...rules,
        recycle: { D: { noFollowUpDays: 10, noWonDays: null } },
        warnDays: 3,
        exemptOpenOpportunity: true,
      })
      expect(saved.status).toBe(200)
      // owned since 03-01 10:00: the clock runs out on 03-11 10:00, after that day's 08:00 run
      idle = await sales1.create('/api/customers', { name: '久未跟进的客户', category: 'D' })
      busy = await sales1.create('/api/customers', { name: '有进行中商机的客户', category: 'D' })
      await sales1.create('/api/opportunities', { name: '进行中的商机', customerId: busy.id })
    })

    await runScheduler(t, '2027-03-08T08:00:00+08:00')
    expect(await cardsAbout(idle.id, '客户即将退回公海')).toHaveLength(0)
    await runScheduler(t, '2027-03-09T08:00:00+08:00')
    const [warning, ...more] = await cardsAbout(idle.id, '客户即将退回公海')
    expect(more).toHaveLength(0)
    expect(warning.to.userIds).toEqual(['sales1'])
    expect(warning.text).toContain('久未跟进的客户')
    expect(warning.text).toContain('将于 2027-03-12 退回公海')
    await runScheduler(t, '2027-03-10T08:00:00+08:00')
    await runScheduler(t, '2027-03-11T08:00:00+08:00')
    expect(await cardsAbout(idle.id, '客户即将退回公海')).toHaveLength(1)
    expect(await cardsAbout(busy.id, '客户即将退回公海')).toHaveLength(0)
  })

  it('queues one warning per customer and recycle date however often the job runs', async () => {
    const now = Date.parse('2027-03-10T09:00:00+08:00')
    expect((await warnBeforeRecycle(tenant, '2027-03-10', now)).warned).toEqual([])
  })

  it('sends the customer back to the pool on the recycle date and tells the former owner', async () => {
    await at('2027-03-11T12:00:00+08:00', async (login) => {
      const sales1 = await login('sales1')
      expect((await sales1.get(`/api/customers/${idle.id}`)).json.ownerId).toBe('sales1')
    })
    await runScheduler(t, '2027-03-12T08:00:00+08:00')
    const [told, ...more] = await cardsAbout(idle.id, '客户已退回公海')
    expect(more).toHaveLength(0)
    expect(told.to.userIds).toEqual(['sales1'])
    expect(told.text).toContain('超过 10 天未跟进')
    await at('2027-03-12T09:00:00+08:00', async (login) => {
      const sales1 = await login('sales1')
      expect((await sales1.get(`/api/customers/${idle.id}`)).json).toMatchObject({
        ownerId: null,
        prevOwnerId: 'sales1',
      })
      expect((await sales1.get(`/api/customers/${busy.id}`)).json.ownerId).toBe('sales1')
    })
    expect(await cardsAbout(busy.id, '客户已退回公海')).toHaveLength(0)
  })
})

describe('the managers’ daily briefing card', () => {
  const title = '昨日简报（2027-05-10）'
  const briefingsOf = async (user: string) =>
    (await delivered(t)).filter((m) => m.title === title && m.to.userIds?.includes(user))

  it('sends each manager one card with yesterday’s figures of their departments, and the admin the company’s', async () => {
    await at('2027-05-10T10:00:00+08:00', async (login) => {
      const sales1 = await login('sales1')
      const sales3 = await login('sales3')
      const mine = await sales1.create('/api/customers', { name: '简报客户一' })
      await sales1.create('/api/followups', {
        customerId: mine.id,
        method: 'visit',
        content: '上门拜访',
        followedAt: '2027-05-10T09:00:00+08:00',
      })
      const deal = await sales1.create('/api/opportunities', { name: '简报商机', customerId: mine.id })
      expect((await sales1.post(`/api/opportunities/${deal.id}/stage`, { stageId: 'won' })).status).toBe(200)
      const contract = await sales1.create('/api/contracts', {
        number: 'BRIEF-1',
        name: '简报合同',
        customerId: mine.id,
        amount: 12345.6,
        signedAt: '2027-05-10',
      })
      await sales1.create('/api/payments', { contractId: contract.id, receivedAt: '2027-05-10', amount: 400 })
      const theirs = await sales3.create('/api/customers', { name: '简报客户二' })
      await sales3.create('/api/followups', {
        customerId: theirs.id,
        method: 'phone',
        content: '电话沟通',
        followedAt: '2027-05-10T11:00:00+08:00',
      })
    })

    await runScheduler(t, '2027-05-11T08:00:00+08:00')
    await runScheduler(t, '2027-05-11T09:00:00+08:00')
    const [mgr1, ...more] = await briefingsOf('mgr1')
    expect(more).toHaveLength(0)
    expect(mgr1.to.userIds).toEqual(['mgr1'])
    expect(mgr1.text).toContain('销售一部')
    for (const line of [
      '新增客户：1',
      '跟进：1',
      '新增商机：1',
      '赢单商机：1',
      '合同金额：¥12,345.60',
      '回款金额：¥400.00',
    ]) {
      expect(mgr1.text).toContain(line)
    }
    const [mgr2] = await briefingsOf('mgr2')
    expect(mgr2.text).toContain('销售二部')
    expect(mgr2.text).toContain('新增客户：1')
    expect(mgr2.text).toContain('合同金额：¥0.00')
    const [admin] = await briefingsOf('admin')
    expect(admin.text).toContain('全公司')
    expect(admin.text).toContain('新增客户：2')
    expect(admin.text).toContain('跟进：2')
    expect(admin.text).toContain('合同金额：¥12,345.60')
    expect(await briefingsOf('sales1')).toHaveLength(0)
  })

  it('sends the day’s briefing once however often the job runs', async () => {
    expect((await sendBriefings(tenant, '2027-05-11')).sent).toEqual([])
  })
})
