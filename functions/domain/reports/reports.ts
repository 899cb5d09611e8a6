import type * as z from 'zod'
import type {
  Briefing,
  BriefingQuery,
  Funnel,
  FunnelQuery,
  Performance,
  PerformanceQuery,
  PaymentsReport,
  PaymentsReportQuery,
  TargetsReport,
  TargetsReportQuery,
} from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { forbidden, unprocessable } from '../../core/errors.js'
import { TargetEntity } from '../../db/entities/deals.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all } from '../../db/filter.js'
import { queryAll } from '../../db/pages.js'
import { listDirectory } from '../directory/sessions.js'
import { heldDealSettings } from '../deals/settings.js'
import {
  addDays,
  asPeriods,
  daysBetween,
  type Periods,
  periodsOf,
  readStats,
  scopeSubjects,
  statName,
  sumOf,
  today,
} from '../stats/contributions.js'
import { targetScopeFilter, type TargetRecord } from '../targets/record.js'

/**
 * 简报 / 目标达成 / 销售业绩 / 回款分析 / 销售漏斗. Every figure is a sum of report counters (stats/contributions.ts)
 * over the caller's scope and the periods of the asked range: the number of DynamoDB calls depends on
 * the range and the organisation (departments, people, targets), never on how many records there are.
 */

const MAX_RANGE_DAYS = 366

function rangeOf({ from, to }: { from?: string; to?: string }) {
  const end = to ?? (from && from > today() ? from : today())
  const start = from ?? `${end.slice(0, 7)}-01`
  if (start > end) throw unprocessable('report.range_invalid', '开始日期不能晚于结束日期')
  if (daysBetween(start, end) >= MAX_RANGE_DAYS)
    throw unprocessable('report.range_too_long', '统计区间最长一年')
  return { from: start, to: end }
}

const names = (subjects: string[], periods: Periods | string[], metrics: string[]) => {
  const { plus, minus } = asPeriods(periods)
  return subjects.flatMap((s) => [...plus, ...minus].flatMap((p) => metrics.map((m) => statName(s, p, m))))
}

/** Percent with two decimals; null without a base. */
const rate = (part: number, whole: number) => (whole > 0 ? Math.round((part * 10000) / whole) / 100 : null)

const monthsOf = (year: number) =>
  Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)

interface DeptRow {
  id: string
  name: string
  parentId?: string
}

const listDepts = (tenantId: string) => listDirectory<DeptRow>(DeptEntity, TAG.dept, tenantId)

/** A department and all below it (a department's achievement includes its sub-departments). */
function subtreeOf(depts: DeptRow[]) {
  const children = new Map<string, string[]>()
  for (const d of depts) if (d.parentId) children.set(d.parentId, [...(children.get(d.parentId) ?? []), d.id])
  return (id: string) => {
    const ids: string[] = []
    for (const queue = [id]; queue.length;) {
      const next = queue.shift()!
      ids.push(next)
      queue.push(...(children.get(next) ?? []))
    }
    return ids
  }
}

export async function briefing(session: Session, query: z.output<typeof BriefingQuery>): Promise<Briefing> {
  const { from, to } = rangeOf(query)
  const subjects = scopeSubjects(session, query.scope)
  const periods = periodsOf(from, to)
  const metrics = [
    'newCustomers',
    'followUps',
    'newOpportunities',
    'wonOpportunities',
    'contractAmount',
    'paymentAmount',
  ] as const
  const values = await readStats(session.tenantId, names(subjects, periods, [...metrics]))
  const total = (metric: (typeof metrics)[number]) => sumOf(values, subjects, periods, metric)
  return {
    from,
    to,
    newCustomers: total('newCustomers'),
    followUps: total('followUps'),
    newOpportunities: total('newOpportunities'),
    wonOpportunities: total('wonOpportunities'),
    contractAmount: total('contractAmount'),
    paymentAmount: total('paymentAmount'),
  }
}

export async function targetsReport(
  session: Session,
  { year, metric, scope }: z.output<typeof TargetsReportQuery>,
): Promise<TargetsReport> {
  const [targets, depts] = await Promise.all([
    queryAll<TargetRecord>(TargetEntity, {
      index: 'gsi2',
      partition: tenantKey(session.tenantId, TAG.target, String(year), metric),
      filter: all(targetScopeFilter(session), scope && { attr: 'scope', eq: scope }, {
        attr: 'deletedAt',
        exists: false,
      }),
    }),
    listDepts(session.tenantId),
  ])
  const subtree = subtreeOf(depts)
  const months = monthsOf(year)
  const rows = targets
    .filter((t) => !t.deletedAt)
    .map((t) => ({
      target: t,
      subjects: t.scope === 'user' ? [`U#${t.subjectId}`] : subtree(t.subjectId).map((id) => `D#${id}`),
    }))
  const values = await readStats(
    session.tenantId,
    rows.flatMap((r) => names(r.subjects, months, [metric])),
  )
  return {
    year,
    metric,
    rows: rows.map(({ target, subjects }) => {
      const monthRows = months.map((period, i) => {
        const actual = sumOf(values, subjects, [period], metric)
        return { month: i + 1, target: target.months[i], actual, rate: rate(actual, target.months[i]) }
      })
      const yearActual = monthRows.reduce((a, m) => a + m.actual, 0)
      return {
        scope: target.scope,
        subjectId: target.subjectId,
        name: target.name,
        yearTarget: target.yearTotal,
        yearActual,
        rate: rate(yearActual, target.yearTotal),
        months: monthRows,
      }
    }),
  }
}

export async function performance(
  session: Session,
  query: z.output<typeof PerformanceQuery>,
): Promise<Performance> {
  const { from, to } = rangeOf(query)
  const periods = periodsOf(from, to)
  let groups: { id: string; name: string; subjects: string[] }[]
  if (query.groupBy === 'user') {
    if (session.role === 'member') {
      groups = [{ id: session.userId, name: session.name, subjects: [`U#${session.userId}`] }]
    } else {
      const users = await listDirectory<{ id: string; name: string; deptIds: string[] }>(
        UserEntity,
        TAG.user,
        session.tenantId,
      )
      groups = users
        .filter(
          (u) =>
            session.role === 'admin' ||
            u.id === session.userId ||
            u.deptIds.some((d) => session.scopeDeptIds.includes(d)),
        )
        .map((u) => ({ id: u.id, name: u.name, subjects: [`U#${u.id}`] }))
    }
  } else {
    if (session.role === 'member') throw forbidden('按部门统计仅限主管和管理员')
    const depts = await listDepts(session.tenantId)
    const subtree = subtreeOf(depts)
    groups = depts
      .filter((d) => session.role === 'admin' || session.scopeDeptIds.includes(d.id))
      .map((d) => ({ id: d.id, name: d.name, subjects: subtree(d.id).map((id) => `D#${id}`) }))
  }
  const metrics = [
    'contractAmount',
    'paymentAmount',
    'newCustomers',
    'followUps',
    'wonOpportunities',
  ] as const
  const values = await readStats(
    session.tenantId,
    groups.flatMap((g) => names(g.subjects, periods, [...metrics])),
  )
  const rows = groups.map((g) => {
    const total = (metric: string) => sumOf(values, g.subjects, periods, metric)
    return {
      id: g.id,
      name: g.name,
      contractAmount: total('contractAmount'),
      paymentAmount: total('paymentAmount'),
      newCustomers: total('newCustomers'),
      followUps: total('followUps'),
      wonOpportunities: total('wonOpportunities'),
    }
  })
  rows.sort((a, b) => b.contractAmount - a.contractAmount || b.paymentAmount - a.paymentAmount)
  return { from, to, groupBy: query.groupBy, rows }
}

/**
 * 回款分析: per month the planned amount (plans by due date), the received amount (payments by date)
 * and the overdue amount: what is still unpaid of the plans whose due date has passed. A payment never
 * pays a plan beyond its amount, so unpaid = planned − paid-on-plans holds for sums as for one plan.
 */
export async function paymentsReport(
  session: Session,
  { year }: z.output<typeof PaymentsReportQuery>,
): Promise<PaymentsReport> {
  const subjects = scopeSubjects(session)
  const months = monthsOf(year)
  const day = today()
  const thisMonth = day.slice(0, 7)
  // this month's overdue plans: those due before today
  const pastDaysThisMonth = months.includes(thisMonth)
    ? periodsOf(`${thisMonth}-01`, addDays(day, -1))
    : asPeriods([])
  const values = await readStats(session.tenantId, [
    ...names(subjects, months, ['planned', 'paymentAmount', 'planPaid']),
    ...names(subjects, pastDaysThisMonth, ['planned', 'planPaid']),
  ])
  const total = (periods: Periods | string[], metric: string) => sumOf(values, subjects, periods, metric)
  return {
    year,
    months: months.map((month, i) => {
      const overdue =
        month < thisMonth
          ? total([month], 'planned') - total([month], 'planPaid')
          : month === thisMonth
            ? total(pastDaysThisMonth, 'planned') - total(pastDaysThisMonth, 'planPaid')
            : 0
      return {
        month: i + 1,
        planned: total([month], 'planned'),
        received: total([month], 'paymentAmount'),
        overdue: Math.max(0, overdue),
      }
    }),
  }
}

/**
 * 销售漏斗: the opportunities created in the range, by their current stage: count, amount, amount ×
 * probability, and the share that reached the stage or a later one (open stages in order, then won).
 */
export async function funnel(session: Session, query: z.output<typeof FunnelQuery>): Promise<Funnel> {
  const { from, to } = rangeOf(query)
  const settings = await heldDealSettings(session.tenantId)
  const stages = [...settings.stages].sort(
    (a, b) => Number(!!a.archived) - Number(!!b.archived) || a.order - b.order,
  )
  const subjects = scopeSubjects(session)
  const periods = periodsOf(from, to)
  const values = await readStats(
    session.tenantId,
    names(
      subjects,
      periods,
      stages.flatMap((s) => [
        `stageCount:${s.id}`,
        `stageAmount:${s.id}`,
        `stageExits:${s.id}`,
        `stageSeconds:${s.id}`,
      ]),
    ),
  )
  const rows = stages
    .map((s) => {
      const amount = sumOf(values, subjects, periods, `stageAmount:${s.id}`)
      return {
        stage: s,
        count: sumOf(values, subjects, periods, `stageCount:${s.id}`),
        amount,
        // integer fen: amount × probability / 100, rounded half up, without floating point
        weightedAmount: Number((BigInt(amount) * BigInt(s.probability) + 50n) / 100n),
        exits: sumOf(values, subjects, periods, `stageExits:${s.id}`),
        seconds: sumOf(values, subjects, periods, `stageSeconds:${s.id}`),
      }
    })
    .filter((r) => !r.stage.archived || r.count > 0)
  const total = rows.reduce((a, r) => a + r.count, 0)
  const progression = rows.filter((r) => r.stage.kind !== 'lost')
  return {
    from,
    to,
    stages: rows.map((r) => {
      const at = progression.indexOf(r)
      const reached = at < 0 ? r.count : progression.slice(at).reduce((a, p) => a + p.count, 0)
      return {
        stageId: r.stage.id,
        name: r.stage.name,
        kind: r.stage.kind,
        probability: r.stage.probability,
        count: r.count,
        amount: r.amount,
        weightedAmount: r.weightedAmount,
        conversion: rate(reached, total),
        averageSeconds: r.exits > 0 ? Math.round(r.seconds / r.exits) : null,
      }
    }),
  }
}
