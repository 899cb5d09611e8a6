import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone.js'
import utc from 'dayjs/plugin/utc.js'
import { formatMoney } from '../../../shared/view/format.js'
import { now } from '../../core/clock.js'
import { DAY_MS } from '../../core/days.js'
import type { Session } from '../../core/context.js'
import { isAppError } from '../../core/errors.js'
import { commit } from '../../db/commit.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { TAG } from '../../db/entities/record.js'
import { getRecord } from '../../db/records.js'
import { Customers, recycleClockStart } from '../customers/record.js'
import { exemptFromRecycle, recycleDueCustomers } from '../customers/recycling.js'
import { recycleClocksBetween } from '../customers/queries.js'
import { outboxWrite } from '../notifications/outbox.js'
import { deliveryOf, groupOf, loadRouting } from '../notifications/groups.js'
import { getPoolSettings } from '../customers/pool-settings.js'
import { type DirectoryDept, type DirectoryUser, listDirectory, sessionOf } from '../directory/sessions.js'
import { briefing } from '../reports/reports.js'
import { config } from '../../core/config.js'
import { syncDirectory } from '../directory/directory.js'
import { registerDailyJob } from './run.js'
import { inPool } from '../scope/scope.js'
import { addDays } from '../stats/contributions.js'
import type { Tenant } from '../directory/tenants.js'

dayjs.extend(utc)
dayjs.extend(timezone)

/**
 * The scheduled function's daily jobs (scheduler.ts runs them once a day per tenant, at the tenant's
 * local time): the pool's auto-recycling with its warnings, and the managers' briefing card. Each card
 * is an outbox message with a `once` key, so a job that runs again (a crash half-way, a rerun by hand)
 * queues nothing twice; the same run's delivery step sends them.
 */

const iso = (ms: number) => new Date(ms).toISOString()

const system = (tenantId: string): Session => ({
  tenantId,
  userId: 'system',
  name: '系统',
  role: 'admin',
  deptIds: [],
  scopeDeptIds: [],
})

/** Queues a message unless its `once` key was queued before; true when it was queued now. */
async function queueOnce(...args: Parameters<typeof outboxWrite>): Promise<boolean> {
  try {
    await commit([outboxWrite(...args)])
    return true
  } catch (error) {
    if (isAppError(error, 'outbox.duplicate')) return false
    throw error
  }
}

// ---------------------------------------------------------------- 公海自动回收

/** The tenant day whose daily run first finds a clock that runs out at `dueAt` ran out. */
function recycleDayOf(dueAt: number, tenant: Tenant): string {
  const local = dayjs(dueAt).tz(tenant.timezone)
  const day = local.format('YYYY-MM-DD')
  return local.format('HH:mm') < tenant.dailyAt ? day : addDays(day, 1)
}

/**
 * 回收预警: a card to the owner of each customer that the rules will send back to the pool within the
 * next `warnDays` days (not those due now: they go today, and their owner hears it then). Reads only
 * the clocks that run out in that window (gsi3); one card per customer and recycle date, however often
 * it runs.
 */
export async function warnBeforeRecycle(
  tenant: Tenant,
  day: string,
  at: number = now(),
): Promise<{ warned: string[] }> {
  const settings = await getPoolSettings(tenant.tenantId)
  const warned: string[] = []
  if (!settings.warnDays) return { warned }
  const lastDay = addDays(day, settings.warnDays)
  for (const [category, rule] of Object.entries(settings.recycle)) {
    for (const [kind, days, why] of [
      ['FUP', rule?.noFollowUpDays, '未跟进'],
      ['WON', rule?.noWonDays, '未成交'],
    ] as const) {
      if (!days) continue
      // clocks that run out from now to a day past the window (the exact day is checked per customer)
      const window = {
        from: iso(at - days * DAY_MS),
        before: iso(at - days * DAY_MS + (settings.warnDays + 1) * DAY_MS),
      }
      for await (const clock of recycleClocksBetween(tenant.tenantId, kind, category, window)) {
        if (warned.includes(clock.customerId)) continue
        const customer = await getRecord(Customers, system(tenant.tenantId), clock.customerId).catch(
          () => undefined,
        )
        if (!customer || inPool(customer) || exemptFromRecycle(customer, settings)) continue
        const started = recycleClockStart(customer, kind)
        const dueAt = Date.parse(started) + days * DAY_MS
        if (dueAt < at) continue
        const recycleDay = recycleDayOf(dueAt, tenant)
        if (recycleDay > lastDay) continue
        const idle = Math.floor((at - Date.parse(started)) / DAY_MS)
        const queued = await queueOnce(
          tenant.tenantId,
          {
            kind: 'customer.recycle_warning',
            userIds: [customer.ownerId!],
            title: '客户即将退回公海',
            markdown:
              `### 客户即将退回公海\n「${customer.name}」已 ${idle} 天${why}，` +
              `按公海规则（${days} 天${why}自动回收）将于 ${recycleDay} 退回公海，请及时跟进。`,
            link: { page: 'pages/customer/detail', query: { id: customer.id } },
            recordType: 'customers',
            recordId: customer.id,
          },
          { once: `recycle-warning#${customer.id}#${recycleDay}` },
        )
        if (queued) warned.push(customer.id)
      }
    }
  }
  return { warned }
}

// ---------------------------------------------------------------- 简报

const briefingMarkdown = (scope: string, day: string, figures: Awaited<ReturnType<typeof briefing>>) =>
  [
    `### 昨日简报 · ${scope}`,
    `${day}`,
    `- 新增客户：${figures.newCustomers}`,
    `- 跟进：${figures.followUps}`,
    `- 新增商机：${figures.newOpportunities}`,
    `- 赢单商机：${figures.wonOpportunities}`,
    `- 合同金额：${formatMoney(figures.contractAmount)}`,
    `- 回款金额：${formatMoney(figures.paymentAmount)}`,
  ].join('\n')

/**
 * 简报卡片: each manager gets yesterday's figures of their departments, each admin the whole company's,
 * as a work notification; each department with a team group that chose the briefing for its group
 * (通知设置: group or both) gets its own figures (the department and those below) there, once. A
 * manager whose department chose "group" gets no card of their own while a group takes it. The figures
 * are the briefing report's (report counters, the same calls at any data size); one card per person or
 * group and day.
 */
export async function sendBriefings(
  tenant: Tenant,
  day: string,
): Promise<{ sent: string[]; groups: string[] }> {
  const yesterday = addDays(day, -1)
  const [users, depts, routing] = await Promise.all([
    listDirectory<DirectoryUser>(UserEntity, TAG.user, tenant.tenantId),
    listDirectory<DirectoryDept>(DeptEntity, TAG.dept, tenant.tenantId),
    loadRouting(tenant.tenantId),
  ])
  const deptName = new Map(depts.map((d) => [d.id, d.name]))
  const link = { page: 'pages/report/briefing', query: { from: yesterday, to: yesterday } }
  const toGroup = (deptId: string | undefined) =>
    !!deptId &&
    deliveryOf(routing, deptId, 'report.briefing') === 'group' &&
    groupOf(routing, deptId) !== undefined
  const sent: string[] = []
  for (const user of users) {
    if (!user.active || user.role === 'member' || toGroup(user.deptIds[0])) continue
    const figures = await briefing(sessionOf(tenant.tenantId, user, depts), {
      from: yesterday,
      to: yesterday,
      scope: 'team',
    })
    const scope =
      user.role === 'admin'
        ? '全公司'
        : user.leaderDeptIds.map((id) => deptName.get(id) ?? id).join('、') || user.name
    const queued = await queueOnce(
      tenant.tenantId,
      {
        kind: 'report.briefing',
        userIds: [user.id],
        title: `昨日简报（${yesterday}）`,
        markdown: briefingMarkdown(scope, yesterday, figures),
        link,
      },
      { once: `briefing#${user.id}#${yesterday}` },
    )
    if (queued) sent.push(user.id)
  }
  const groups: string[] = []
  for (const [deptId, group] of routing.groups) {
    const dept = depts.find((d) => d.id === deptId)
    if (!dept || deliveryOf(routing, deptId, 'report.briefing') === 'person') continue
    const root = dept.path.length <= 1
    const figures = await briefing(
      {
        ...system(tenant.tenantId),
        role: root ? 'admin' : 'manager',
        deptIds: [deptId],
        scopeDeptIds: depts.filter((d) => d.path.includes(deptId)).map((d) => d.id),
      },
      { from: yesterday, to: yesterday, scope: 'team' },
    )
    const queued = await queueOnce(
      tenant.tenantId,
      {
        kind: 'report.briefing',
        userIds: [],
        title: `昨日简报（${yesterday}）· ${dept.name}`,
        markdown: briefingMarkdown(root ? '全公司' : dept.name, yesterday, figures),
        link,
        group: { deptId, robotCode: group.robotCode, openConversationId: group.openConversationId },
      },
      { once: `briefing-group#${deptId}#${yesterday}` },
    )
    if (queued) groups.push(deptId)
  }
  return { sent, groups }
}

/**
 * Plugs the jobs into the scheduler (the scheduled function's handler calls it when it loads): the
 * directory from DingTalk first, then the warnings, then the recycling (each release queues the card to the former owner in its own
 * transaction), then the briefing.
 */
export function registerDailyJobs(): void {
  // first, so the other jobs act for the organisation as DingTalk has it today
  registerDailyJob({
    name: 'directory.sync',
    // the app's credentials read one corp's directory: its own
    run: async (tenant) =>
      void (tenant.tenantId === config.corpId() && (await syncDirectory(tenant.tenantId))),
  })
  registerDailyJob({
    name: 'pool.recycle',
    run: async (tenant, day) => {
      await warnBeforeRecycle(tenant, day)
      await recycleDueCustomers(tenant.tenantId)
    },
  })
  registerDailyJob({
    name: 'reports.briefing',
    run: (tenant, day) => sendBriefings(tenant, day).then(() => {}),
  })
}
