import { now } from '../../core/clock.js'
import { DAY_MS } from '../../core/days.js'
import type { Session } from '../../core/context.js'
import type { Write } from '../../db/commit.js'
import { type CounterChange, counterWrite, readCounters, reportCounter } from '../../db/counters.js'

/**
 * Report counters (统计): one counter per tenant × subject × period × metric, named
 * `R#<subject>#<period>#<metric>`, moved with ADD by the same transaction as the record write that
 * changes it. Subjects: `U#<ownerId>`, `D#<deptId>` (the owner's primary department), `T` (the whole
 * tenant). Periods: the day (`2026-05-03`) and the month (`2026-05`), so a date range reads whole months
 * plus the loose days at its ends — a fixed number of counters, whatever the number of records. A write
 * moves one cell per contribution (its day, metric and department) of its owner's month item, and no
 * other report item: a department's and the tenant's counters are read as sums over the month's owner
 * items (db/counters.ts), so two people's writes share no report item.
 */

/** The tenant time zone (Asia/Shanghai: UTC+8, no daylight saving). */
const TENANT_OFFSET_MS = 8 * 3600 * 1000

/** The tenant day of an instant (`YYYY-MM-DD`). */
export const tenantDay = (instant: string | number): string =>
  new Date(new Date(instant).getTime() + TENANT_OFFSET_MS).toISOString().slice(0, 10)
export const today = (): string => tenantDay(now())

export const addDays = (day: string, days: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
export const lastDayOfMonth = (day: string): string => {
  const [y, m] = day.split('-').map(Number)
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10)
}
export const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS)

/** Periods whose counters sum to a range: those in `minus` are subtracted. */
export interface Periods {
  plus: string[]
  minus: string[]
}

const daysOf = (from: string, to: string): string[] => {
  const days: string[] = []
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day)
  return days
}

/**
 * The periods that sum to [from, to]: whole months as `YYYY-MM`, the rest as single days — except that a
 * month mostly inside the range reads as the month less its days outside it (a month's counter is the
 * sum of its days'). So month-to-date on the 28th reads 3 periods, not 28, and no month costs more
 * than 16.
 */
export function periodsOf(from: string, to: string): Periods {
  const periods: Periods = { plus: [], minus: [] }
  for (let day = from; day <= to;) {
    const month = day.slice(0, 7)
    const monthEnd = lastDayOfMonth(day)
    const last = monthEnd < to ? monthEnd : to
    const inside = daysOf(day, last)
    const outside = [...daysOf(`${month}-01`, addDays(day, -1)), ...daysOf(addDays(last, 1), monthEnd)]
    if (outside.length + 1 < inside.length) {
      periods.plus.push(month)
      periods.minus.push(...outside)
    } else {
      periods.plus.push(...inside)
    }
    day = addDays(last, 1)
  }
  return periods
}

/** Plain periods (a year's months) as `Periods`. */
export const asPeriods = (periods: Periods | string[]): Periods =>
  Array.isArray(periods) ? { plus: periods, minus: [] } : periods

export type Metric =
  | 'newCustomers'
  | 'followUps'
  | 'newOpportunities'
  | 'wonOpportunities'
  | 'contractAmount'
  | 'paymentAmount'
  /** payment plans by due date */
  | 'planned'
  /** payments linked to a plan, by the plan's due date (never more than the plan: overdue = planned − planPaid) */
  | 'planPaid'
  /** opportunities created in the period, by their current stage */
  | `stageCount:${string}`
  | `stageAmount:${string}`
  /** stays in a stage that ended on the day (a move out of it), and their length in seconds */
  | `stageExits:${string}`
  | `stageSeconds:${string}`

/** What one record adds to one metric: a count or an amount in fen, on a tenant day, for its owner. */
export interface Contribution {
  metric: Metric
  day: string
  value: number
  ownerId?: string
  deptId?: string
}

export const statName = (subject: string, period: string, metric: string) =>
  `R#${subject}#${period}#${metric}`

/**
 * The counter names contributions move, with their values: one cell per contribution, on its day, of its
 * owner's month item, marked with its department (db/counters.ts `reportCounter`) — the department's
 * and the tenant's counters, and a month's, are sums of such cells, read, never written.
 */
export function contributionCounts(contributions: Contribution[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const c of contributions) {
    if (c.value === 0) continue
    const name = reportCounter(c)
    counts.set(name, (counts.get(name) ?? 0) + c.value)
  }
  return counts
}

/**
 * The counter changes that take a record's contributions from `before` to `after` (undefined = absent;
 * a record in the recycle bin contributes nothing). What cancels out is not written.
 */
export function statChanges<R extends { deletedAt?: string }>(
  contributionsOf: (record: R) => Contribution[],
  before: R | undefined,
  after: R | undefined,
): CounterChange[] {
  const live = (record: R | undefined) => (record && !record.deletedAt ? contributionsOf(record) : [])
  const deltas = contributionCounts(live(after))
  for (const [name, value] of contributionCounts(live(before)))
    deltas.set(name, (deltas.get(name) ?? 0) - value)
  return [...deltas].filter(([, delta]) => delta !== 0).map(([name, delta]) => ({ name, delta }))
}

export const statWrites = <R extends { tenantId: string; deletedAt?: string }>(
  contributionsOf: (record: R) => Contribution[],
  before: R | undefined,
  after: R | undefined,
): Write[] =>
  statChanges(contributionsOf, before, after).map((change) =>
    counterWrite((after ?? before)!.tenantId, change),
  )

/**
 * For the customer life cycle's writes (its collections' `sideWrites`): 新增客户 counts on the day the
 * customer was created, for its owner; 跟进 on the day of the follow-up, for its author.
 */
export const customerContributions = (c: {
  createdAt: string
  ownerId?: string
  deptId?: string
}): Contribution[] => [
  { metric: 'newCustomers', day: tenantDay(c.createdAt), value: 1, ownerId: c.ownerId, deptId: c.deptId },
]
export const followUpContributions = (f: {
  followedAt: string
  createdBy: string
  deptId?: string
}): Contribution[] => [
  { metric: 'followUps', day: tenantDay(f.followedAt), value: 1, ownerId: f.createdBy, deptId: f.deptId },
]

/**
 * Current values of report counters (missing = 0): their subjects' month items, every shard, in
 * BatchGetItems of 100 keys in parallel (`readCounters`).
 */
export async function readStats(tenantId: string, names: Iterable<string>): Promise<Map<string, number>> {
  return new Map(Object.entries(await readCounters(tenantId, names)))
}

/** Σ of a metric over subjects and periods (less the `minus` periods). */
export const sumOf = (
  values: Map<string, number>,
  subjects: string[],
  periods: Periods | string[],
  metric: string,
) => {
  const { plus, minus } = asPeriods(periods)
  let total = 0
  for (const subject of subjects) {
    for (const period of plus) total += values.get(statName(subject, period, metric)) ?? 0
    for (const period of minus) total -= values.get(statName(subject, period, metric)) ?? 0
  }
  return total
}

/**
 * The counter subjects that make up the caller's data scope: an admin reads the tenant's totals, a
 * manager their departments (sub-departments included: `scopeDeptIds` is expanded at login), a member
 * (or `self`) only their own. Each record counts under its owner's primary department, so the
 * departments' sums never count a record twice.
 */
export function scopeSubjects(session: Session, scope: 'team' | 'self' = 'team'): string[] {
  if (scope === 'self' || session.role === 'member') return [`U#${session.userId}`]
  if (session.role === 'admin') return ['T']
  const depts = session.scopeDeptIds.map((id) => `D#${id}`)
  const ownDept = session.deptIds[0]
  return ownDept && session.scopeDeptIds.includes(ownDept) ? depts : [...depts, `U#${session.userId}`]
}
