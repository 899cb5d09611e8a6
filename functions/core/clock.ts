/**
 * The clock is a seam: tests and the scheduler's `/__dev/scheduler/run {now}` move it; nothing else
 * reads `Date.now()` directly. `CLOCK_START` (an ISO instant) starts it there and lets it run: the tests
 * run on it (vitest.config.ts), never on the wall clock's date, and `CLOCK_START=… npm test` moves them.
 */
const offset = (() => {
  const start = process.env.CLOCK_START
  if (!start) return 0
  const at = Date.parse(start)
  if (Number.isNaN(at)) throw new Error(`CLOCK_START is not an ISO instant: ${start}`)
  return at - Date.now()
})()

let override: (() => number) | undefined

export const now = (): number => (override ? override() : Date.now() + offset)
export const nowIso = (): string => new Date(now()).toISOString()
export const setClock = (fn: (() => number) | undefined): void => {
  override = fn
}

/** A clock that reads `at` now and runs on in real time (rate limits and windows need time to pass). */
export const runningFrom = (at: number): (() => number) => {
  const started = performance.now()
  return () => at + (performance.now() - started)
}
