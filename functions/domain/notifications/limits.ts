import { dingtalk } from '../../dingtalk/client.js'

/**
 * DingTalk's limits, honoured before DingTalk has to refuse:
 * - an internal app may call one API 20 times a second (beyond: errcode 90018, 附录B「如何处理钉钉服务端
 *   API限流」): a window limiter (below) keeps work notifications under it whatever the latency;
 * - a group robot may send 20 messages a minute to a group, then is blocked for 10 minutes: each group
 *   has a window in the table (groups.ts), 20 sends in any 61 seconds, shared by every instance.
 * The work-notification and to-do limiters live in the process: overlapping runs in one process share
 * them; separate instances do not, and DingTalk's throttling answers (retryable) then push the excess
 * back with backoff.
 */
export const LIMITS = {
  workNotification: { perSecond: 20 },
  /**
   * the to-do APIs: DingTalk publishes no number beyond "flowControl because of executorId or orgId";
   * the v1.0 host's usual per app × API limit is 20 a second, and one window for all to-do calls
   * keeps each API under it
   */
  todo: { perSecond: 20 },
  robot: { perWindow: 20, windowMs: 61_000 },
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * At most `limit` calls in any `windowMs` as DingTalk counts them (where they arrive), whatever the
 * latency. A token bucket cannot promise that: a burst plus a second's refill is more than the limit,
 * and calls that leave evenly can arrive bunched. Here each call holds one of `limit` slots, and a slot
 * is free again `windowMs` after its call *returned*: the call reached DingTalk before that, so
 * DingTalk's window never holds two calls of one slot. The price is each call's latency: 20 calls of
 * 50 ms make 19 a second. (Freeing a slot a second after its start plus a bound on the request's
 * transit would win that back, but a stalled event loop breaks any such bound: tried, 22 calls landed
 * in one second under a load of 15.)
 *
 * Calls also start at least `windowMs / limit` apart, on a grid: started together they would slow each
 * other down; a late start (a busy event loop) does not push every later one back, as the grid keeps
 * its pace (it never bunches more than two calls to catch up).
 */
export class WindowLimiter {
  private readonly freeAt: number[]
  private readonly busy: boolean[]
  private nextStart = 0
  private readonly spacing: number
  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {
    this.freeAt = Array.from({ length: limit }, () => 0)
    this.busy = Array.from({ length: limit }, () => false)
    this.spacing = windowMs / limit
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const slot = await this.acquire()
    try {
      return await call()
    } finally {
      this.freeAt[slot] = performance.now() + this.windowMs
      this.busy[slot] = false
    }
  }

  private async acquire(): Promise<number> {
    for (;;) {
      const at = performance.now()
      const slot = at >= this.nextStart ? this.idleSlot(at) : -1
      if (slot >= 0) {
        this.busy[slot] = true
        // the grid: the next start is one spacing after this one's turn, not after its (late) start
        this.nextStart = Math.max(this.nextStart, at - this.spacing) + this.spacing
        return slot
      }
      await sleep(this.wait(at))
    }
  }

  /** a slot not in use whose wait is over, or -1 */
  private idleSlot(at: number): number {
    return this.freeAt.findIndex((freeAt, slot) => !this.busy[slot] && freeAt <= at)
  }

  /** until the next start may be possible (every slot in use: one frees when its call returns) */
  private wait(at: number): number {
    const idle = this.freeAt.filter((_, slot) => !this.busy[slot])
    const slotAt = idle.length > 0 ? Math.min(...idle) : at + 5
    return Math.max(1, Math.ceil(Math.max(slotAt, this.nextStart) - at))
  }
}

const limiters = new Map<string, WindowLimiter>()
export const todoLimiter = () => {
  const key = `${dingtalk().config().appKey}|todo`
  let found = limiters.get(key)
  if (!found) limiters.set(key, (found = new WindowLimiter(LIMITS.todo.perSecond, 1000)))
  return found
}
export const appLimiter = () => {
  const appKey = dingtalk().config().appKey
  let found = limiters.get(appKey)
  if (!found) limiters.set(appKey, (found = new WindowLimiter(LIMITS.workNotification.perSecond, 1000)))
  return found
}
