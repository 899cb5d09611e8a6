import { describe, expect, it } from 'vitest'
import { WindowLimiter } from '../../functions/domain/notifications/limits.js'

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** The most arrivals any window of `windowMs` holds (as DingTalk's sliding second counts them). */
function busiestWindow(arrivals: number[], windowMs: number) {
  const sorted = [...arrivals].sort((a, b) => a - b)
  let most = 0
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i] - sorted[j] >= windowMs) j++
    most = Math.max(most, i - j + 1)
  }
  return most
}

describe('the work-notification window limiter', () => {
  it('keeps every second at 20 calls or fewer where they arrive, however uneven the latency', async () => {
    const limiter = new WindowLimiter(20, 1000)
    const arrivals: number[] = []
    // a call reaches DingTalk somewhere between its start and its return
    const call = async () => {
      await sleep(Math.random() * 40)
      arrivals.push(performance.now())
      await sleep(Math.random() * 40)
    }
    const started = performance.now()
    await Promise.all(Array.from({ length: 50 }, () => limiter.run(call)))
    const seconds = (performance.now() - started) / 1000

    expect(busiestWindow(arrivals, 1000)).toBeLessThanOrEqual(20)
    // 50 calls 50 ms apart, each slot again a second after its call returned: ~2.5 s, never stuck
    expect(seconds).toBeGreaterThan(2.4)
    expect(seconds).toBeLessThan(5)
  })
})
