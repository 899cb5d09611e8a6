import * as z from 'zod'
import { runningFrom, setClock } from '../core/clock.js'
import { log } from '../core/log.js'
import { validate } from '../core/validate.js'
import { registerDailyJobs, runScheduler, type SchedulerReport } from '../domain/scheduler/index.js'

// pool auto-recycle (with its warnings) and the managers' briefing, once a day per tenant
registerDailyJobs()

/**
 * The scheduled function: a Function Compute 3 timer trigger calls it every minute (s.yaml) with
 * `{triggerTime, triggerName, payload}` (as a Buffer of JSON, like every FC3 event). The work is
 * `runScheduler`; the trigger time is only logged, since "now" is whenever the run happens.
 */
const TimerEvent = z.object({
  triggerTime: z.string().optional(),
  triggerName: z.string().optional(),
  payload: z.string().optional(),
})

const parseEvent = (event: unknown) => {
  const raw = Buffer.isBuffer(event) ? event.toString('utf8') : event
  let json: unknown = raw
  if (typeof raw === 'string') {
    try {
      json = JSON.parse(raw)
    } catch {
      json = {}
    }
  }
  const parsed = TimerEvent.safeParse(json)
  return parsed.success ? parsed.data : {}
}

export const handler = async (event: unknown): Promise<SchedulerReport> => {
  const { triggerTime, triggerName } = parseEvent(event)
  log('info', 'scheduler.triggered', { triggerTime, triggerName })
  return runScheduler()
}

const DevRun = z.strictObject({
  now: z.iso.datetime({ offset: true }).optional(),
  budgetMs: z.int().min(1).optional(),
})

let devRuns = 0

/**
 * Local mode's `POST /__dev/scheduler/run {now?}`: one run as if the time were `now`. The clock seam
 * starts at `now` and keeps flowing in real time (the rate limits and DingTalk's windows need time to
 * pass), and is restored when the last overlapping run ends.
 */
export async function runSchedulerAt(body: unknown): Promise<SchedulerReport> {
  const { now, budgetMs } = validate(DevRun, body ?? {})
  if (!now) return runScheduler({ budgetMs })
  setClock(runningFrom(Date.parse(now)))
  devRuns += 1
  try {
    return await runScheduler({ budgetMs })
  } finally {
    devRuns -= 1
    if (devRuns === 0) setClock(undefined)
  }
}
