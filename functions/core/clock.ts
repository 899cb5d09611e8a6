/**
 * The clock is a seam: tests and the scheduler's `/__dev/scheduler/run {now}` move it; nothing else
 * reads `Date.now()` directly.
 */
let override: (() => number) | undefined

export const now = (): number => (override ? override() : Date.now())
export const nowIso = (): string => new Date(now()).toISOString()
export const setClock = (fn: (() => number) | undefined): void => {
  override = fn
}
