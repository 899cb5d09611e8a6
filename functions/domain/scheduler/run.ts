import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import { randomUUID } from 'node:crypto'
import { now } from '../../core/clock.js'
import { newRequestState, runWithRequest } from '../../core/context.js'
import { log } from '../../core/log.js'
import {
  deliverOutbox,
  deliveryContext,
  emptyStats,
  inPool,
  type DeliveryStats,
} from '../notifications/delivery.js'
import { driveImports, emptyDriveStats, type ImportDriveStats } from '../imports/driver.js'
import { fireDueReminders, type FireStats } from '../reminders/firing.js'
import { claimDailyRun, listTenants, type Tenant } from '../directory/tenants.js'

dayjs.extend(utc)
dayjs.extend(timezone)

/**
 * One run of the scheduled function (a timer every minute): for every registered tenant, the daily jobs
 * once a day at the tenant's local time, then the due reminders, then the outbox; then, until the run's
 * budget is spent, the running imports. Overlapping runs are safe: every reminder, message, daily run
 * and import job is claimed with a conditional write.
 */

/** A job run once a day per tenant (pool auto-recycle, the managers' briefing...). */
export interface DailyJob {
  name: string
  /** `day` is the tenant's local date, `YYYY-MM-DD` */
  run(tenant: Tenant, day: string): Promise<void>
}

const dailyJobs: DailyJob[] = []

/** Domains plug their daily jobs in here; they run in registration order. */
export function registerDailyJob(job: DailyJob): void {
  if (!dailyJobs.some((j) => j.name === job.name)) dailyJobs.push(job)
}

export interface SchedulerReport {
  at: string
  tenants: number
  reminders: FireStats
  outbox: DeliveryStats
  imports: ImportDriveStats
  dailyJobs: { tenantId: string; day: string; jobs: string[] }[]
  /** DynamoDB calls the run made */
  ddbCalls: number
  ms: number
}

export interface SchedulerOptions {
  /** stop starting new work after this long (the function's timeout is longer) */
  budgetMs?: number
  /** messages in flight per tenant */
  concurrency?: number
}

async function runDailyJobs(tenant: Tenant, report: SchedulerReport) {
  const local = dayjs(now()).tz(tenant.timezone)
  const day = local.format('YYYY-MM-DD')
  if (local.format('HH:mm') < tenant.dailyAt || tenant.dailyRunOn === day) return
  if (!(await claimDailyRun(tenant.tenantId, day))) return
  const ran: string[] = []
  for (const job of dailyJobs) {
    try {
      await job.run(tenant, day)
      ran.push(job.name)
    } catch (error) {
      // one job's failure must not keep the others (or the messages) from running
      log('error', 'scheduler.daily_job_failed', {
        tenantId: tenant.tenantId,
        job: job.name,
        error: error instanceof Error ? error.message : String(error),
      })
    }
  }
  report.dailyJobs.push({ tenantId: tenant.tenantId, day, jobs: ran })
}

export async function runScheduler({
  budgetMs = 50_000,
  concurrency = 8,
}: SchedulerOptions = {}): Promise<SchedulerReport> {
  const state = newRequestState(`scheduler-${randomUUID()}`)
  return runWithRequest(state, async () => {
    const started = performance.now()
    const deadline = now() + budgetMs
    const report: SchedulerReport = {
      at: new Date(now()).toISOString(),
      tenants: 0,
      reminders: { fired: 0, skipped: 0, unseen: 0 },
      outbox: emptyStats(),
      imports: emptyDriveStats(),
      dailyJobs: [],
      ddbCalls: 0,
      ms: 0,
    }
    const tenants = await listTenants()
    report.tenants = tenants.length
    await inPool(tenants, 4, async (tenant) => {
      await runDailyJobs(tenant, report)
      const ctx = deliveryContext(tenant.tenantId, report.outbox)
      const fired = await fireDueReminders(ctx, { zone: tenant.timezone, deadline, concurrency })
      report.reminders.fired += fired.fired
      report.reminders.skipped += fired.skipped
      report.reminders.unseen += fired.unseen
      await deliverOutbox(ctx, { deadline, concurrency })
    })
    // imports get what is left: cards are due at a time, an import only has to keep moving
    report.imports = await driveImports(
      tenants.map((tenant) => tenant.tenantId),
      { deadline },
    )
    report.ddbCalls = state.ddb.calls
    report.ms = Math.round(performance.now() - started)
    log('info', 'scheduler.run', { ...report })
    return report
  })
}
