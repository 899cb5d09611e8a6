/**
 * 商机推进 as a list: every stage move across the opportunities the caller may see, newest first, one
 * Query a page, filtered by stage, owner and date; and the funnel's average time in each stage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setClock } from '../../functions/core/clock.js'
import { rebuildReportCounters } from '../../functions/domain/stats/rebuild.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { ddbUsage, useStack } from '../helpers/stack.js'

const t = useStack()
const DAY = 86_400_000
let clock = Date.parse('2026-11-02T02:00:00.000Z')
const tokens: Record<string, string> = {}
const opp: Record<string, string> = {}

async function post(token: string, path: string, body: unknown) {
  const { status, json } = await t.http('POST', path, { token, body })
  expect(status, `${path}: ${JSON.stringify(json)}`).toBeLessThan(300)
  return json
}
// the clock moves days on: a session of the moment (tokens last hours)
const move = async (user: string, id: string, stageId: string) =>
  post(await t.login(user), `/api/opportunities/${id}/stage`, { stageId, note: `到 ${stageId}` })

beforeAll(async () => {
  setClock(() => clock)
  const sales1 = await t.login('sales1')
  const sales3 = await t.login('sales3')
  const c1 = (await post(sales1, '/api/customers', { name: '推进甲有限公司' })).id
  const c3 = (await post(sales3, '/api/customers', { name: '推进乙有限公司' })).id
  opp.a = (await post(sales1, '/api/opportunities', { customerId: c1, name: '推进商机A', amount: 100 })).id
  opp.b = (await post(sales1, '/api/opportunities', { customerId: c1, name: '推进商机B', amount: 100 })).id
  opp.c = (await post(sales3, '/api/opportunities', { customerId: c3, name: '推进商机C', amount: 100 })).id
  // A: 2 days in 初步沟通, B: 4 days; C (another department): 1 day; then A moves on after 3 more days
  clock += 1 * DAY
  await move('sales3', opp.c, 's2')
  clock += 1 * DAY
  await move('sales1', opp.a, 's2')
  clock += 2 * DAY
  await move('sales1', opp.b, 's2')
  clock += 1 * DAY
  await move('sales1', opp.a, 's3')
  for (const user of ['sales1', 'sales3', 'mgr1', 'admin']) tokens[user] = await t.login(user)
}, 60_000)
afterAll(() => setClock(undefined))

const names = (items: { opportunityName: string; stageName: string }[]) =>
  items.map((m) => `${m.opportunityName}→${m.stageName}`)

describe('GET /api/opportunities/stage-moves', () => {
  it('lists a member’s moves newest first, with names, in one Query', async () => {
    const res = await t.http('GET', '/api/opportunities/stage-moves', { token: tokens.sales1 })
    expect(res.status).toBe(200)
    expect(ddbUsage(res.headers).calls).toBeLessThanOrEqual(2) // the Query, the stages (in parallel)
    expect(names(res.json.items)).toEqual([
      '推进商机A→确定意向',
      '推进商机B→见面拜访',
      '推进商机A→见面拜访',
      '推进商机B→初步沟通',
      '推进商机A→初步沟通',
    ])
    expect(res.json.items[0]).toMatchObject({
      fromStageName: '见面拜访',
      note: '到 s3',
      ownerName: '王靓依',
      movedByName: '王靓依',
    })
  })

  it('filters by stage, owner and date', async () => {
    const byStage = await t.http('GET', '/api/opportunities/stage-moves?stageId=s2', { token: tokens.admin })
    expect(names(byStage.json.items)).toEqual([
      '推进商机B→见面拜访',
      '推进商机A→见面拜访',
      '推进商机C→见面拜访',
    ])
    const byOwner = await t.http('GET', '/api/opportunities/stage-moves?ownerId=sales3', {
      token: tokens.admin,
    })
    expect(names(byOwner.json.items)).toEqual(['推进商机C→见面拜访', '推进商机C→初步沟通'])
    const byDate = await t.http('GET', '/api/opportunities/stage-moves?from=2026-11-04&to=2026-11-06', {
      token: tokens.admin,
    })
    expect(names(byDate.json.items)).toEqual(['推进商机B→见面拜访', '推进商机A→见面拜访'])
  })

  it('shows a manager their department’s moves and a member of another department none of them', async () => {
    const manager = await t.http('GET', '/api/opportunities/stage-moves?stageId=s2', { token: tokens.mgr1 })
    expect(names(manager.json.items)).toEqual(['推进商机B→见面拜访', '推进商机A→见面拜访'])
    const other = await t.http('GET', '/api/opportunities/stage-moves', { token: tokens.sales3 })
    expect(names(other.json.items)).toEqual(['推进商机C→见面拜访', '推进商机C→初步沟通'])
    const asked = await t.http('GET', '/api/opportunities/stage-moves?ownerId=sales1', {
      token: tokens.sales3,
    })
    expect(asked.json.items).toEqual([])
  })
})

describe('the funnel', () => {
  it('averages the time spent in each stage over the stays that ended in the range', async () => {
    const { json } = await t.http('GET', '/api/reports/funnel?from=2026-11-01&to=2026-11-30', {
      token: tokens.admin,
    })
    const average = (stageId: string) =>
      json.stages.find((s: { stageId: string }) => s.stageId === stageId).averageSeconds
    // 初步沟通: A 2 days, B 4 days, C 1 day; 见面拜访: A 3 days (B and C are still there); 确定意向: nobody left it
    expect(average('s1')).toBe(Math.round(((2 + 4 + 1) * DAY) / 3 / 1000))
    expect(average('s2')).toBe((3 * DAY) / 1000)
    expect(average('s3')).toBeNull()
  })

  it('is rebuilt from the kept stage moves: the rebuilt table reports the same', async () => {
    const funnel = async () =>
      (await t.http('GET', '/api/reports/funnel?from=2026-11-01&to=2026-11-30', { token: tokens.admin })).json
    const before = await funnel()
    await rebuildReportCounters(DEMO_CORP_ID)
    expect(await funnel()).toEqual(before)
    expect(before.stages.find((s: { stageId: string }) => s.stageId === 's1').averageSeconds).toBeGreaterThan(
      0,
    )
  })
})
