import { nowIso } from '../../functions/core/clock.js'
import { beforeAll, describe, expect, it } from 'vitest'
import { registerDailyJob } from '../../functions/domain/scheduler/run.js'
import { listTenants } from '../../functions/domain/directory/tenants.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'
import { runScheduler } from './helpers.js'

const t = useStack()
const runs: { tenantId: string; day: string }[] = []

beforeAll(async () => {
  await t.login('sales1')
  // the scheduler runs in this process (the local server), so a job registered here is the real hook
  registerDailyJob({
    name: 'test.count',
    run: async (tenant, day) => void runs.push({ tenantId: tenant.tenantId, day }),
  })
})

const runsOn = (day: string) => runs.filter((r) => r.day === day && r.tenantId === DEMO_CORP_ID).length

describe('the tenant registry and the daily jobs', () => {
  it('registers a tenant once however many times its users log in', async () => {
    await t.login('sales2')
    await t.login('sales1')
    const tenants = (await listTenants()).filter((x) => x.tenantId === DEMO_CORP_ID)
    expect(tenants).toEqual([{ tenantId: DEMO_CORP_ID, timezone: 'Asia/Shanghai', dailyAt: '08:00' }])
  })

  it('runs the daily jobs once a day, from 08:00 Asia/Shanghai', async () => {
    await runScheduler(t, '2026-12-15T07:59:00+08:00')
    expect(runsOn('2026-12-15')).toBe(0)
    await runScheduler(t, '2026-12-15T08:00:00+08:00')
    await runScheduler(t, '2026-12-15T08:01:00+08:00')
    expect(runsOn('2026-12-15')).toBe(1)
    await runScheduler(t, '2026-12-16T08:00:00+08:00')
    expect(runsOn('2026-12-16')).toBe(1)
  })

  it('runs a missed daily run late rather than never, and still once', async () => {
    // the function was down at 08:00; the first run after it does the day's jobs
    await runScheduler(t, '2026-12-17T13:30:00+08:00')
    await Promise.all([
      runScheduler(t, '2026-12-17T13:31:00+08:00'),
      runScheduler(t, '2026-12-17T13:31:00+08:00'),
    ])
    expect(runsOn('2026-12-17')).toBe(1)
  })

  it('keeps the day already run when a user logs in again (the registry write is idempotent)', async () => {
    await runScheduler(t, '2026-12-18T08:00:00+08:00')
    await t.login('mgr1')
    await runScheduler(t, '2026-12-18T08:05:00+08:00')
    expect(runsOn('2026-12-18')).toBe(1)
  })
})

describe('the deployed scheduler handler', () => {
  it('runs on a Function Compute 3 timer event (a Buffer of JSON) and reports the tenants it served', async () => {
    const { handler } = await import('../../functions/scheduler/handler.js')
    const event = Buffer.from(
      JSON.stringify({ triggerTime: nowIso(), triggerName: 'every-minute', payload: '{}' }),
    )
    const report = await handler(event)
    expect(report.tenants).toBeGreaterThanOrEqual(1)
    expect(report.ddbCalls).toBeGreaterThanOrEqual(1)
  })
})
