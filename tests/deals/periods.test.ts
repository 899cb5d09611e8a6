/** The periods a report reads for a date range: months, days, and months less the days outside. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { addDays, lastDayOfMonth, periodsOf } from '../../functions/domain/stats/contributions.js'

/** Each day of the periods, counted +1 for `plus` and −1 for `minus` (a month counts all its days). */
function dayCounts(from: string, to: string): Map<string, number> {
  const counts = new Map<string, number>()
  const add = (period: string, sign: number) => {
    const [first, last] =
      period.length === 7 ? [`${period}-01`, lastDayOfMonth(`${period}-01`)] : [period, period]
    for (let day = first; day <= last; day = addDays(day, 1)) counts.set(day, (counts.get(day) ?? 0) + sign)
  }
  const { plus, minus } = periodsOf(from, to)
  for (const period of plus) add(period, 1)
  for (const period of minus) add(period, -1)
  for (const [day, count] of counts) if (count === 0) counts.delete(day)
  return counts
}

describe('periodsOf', () => {
  it('reads month-to-date on the 28th as the month less its last two days', () => {
    expect(periodsOf('2026-11-01', '2026-11-28')).toEqual({
      plus: ['2026-11'],
      minus: ['2026-11-29', '2026-11-30'],
    })
  })

  it('reads a few loose days as those days', () => {
    expect(periodsOf('2026-05-05', '2026-05-07')).toEqual({
      plus: ['2026-05-05', '2026-05-06', '2026-05-07'],
      minus: [],
    })
  })

  it('reads a whole year as its twelve months', () => {
    expect(periodsOf('2026-01-01', '2026-12-31')).toEqual({
      plus: Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`),
      minus: [],
    })
  })

  it('sums to exactly the days of any range, each once, reading at most 16 periods a month', () => {
    const day = fc.integer({ min: 0, max: 800 }).map((n) => addDays('2025-11-01', n))
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 364 }), (from, length) => {
        const to = addDays(from, length)
        const expected = new Map<string, number>()
        for (let d = from; d <= to; d = addDays(d, 1)) expected.set(d, 1)
        expect(dayCounts(from, to)).toEqual(expected)
        const { plus, minus } = periodsOf(from, to)
        const months = new Set([...plus, ...minus].map((p) => p.slice(0, 7))).size
        expect(plus.length + minus.length).toBeLessThanOrEqual(16 * months)
      }),
      { numRuns: 300 },
    )
  })
})
