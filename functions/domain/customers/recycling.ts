import { type PoolSettings } from '../../../shared/schemas/index.js'
import { now, nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { getRecord } from '../../db/records.js'
import { outboxWrite } from '../notifications/outbox.js'
import { getPoolSettings } from './pool-settings.js'
import { retryOnConflict } from '../../db/retry.js'
import { inPool } from '../scope/scope.js'
import {
  changeCustomer,
  Customers,
  type CustomerRecord,
  recycleClockStart,
  type RecycleKind,
} from './record.js'
import { releasedFields } from './pool.js'
import { recycleClocksBetween } from './queries.js'
import { DAY_MS } from '../../core/days.js'

const SYSTEM = (tenantId: string): Session => ({
  tenantId,
  userId: 'system',
  name: '系统',
  role: 'admin',
  deptIds: [],
  scopeDeptIds: [],
})

/** 有进行中商机的客户不回收 (when the tenant's rules say so). */
export const exemptFromRecycle = (c: CustomerRecord, settings: PoolSettings): boolean =>
  settings.exemptOpenOpportunity && (c.openOpportunities ?? 0) > 0

/**
 * 自动回收: customers whose clock ran out by `at` (no follow-up for N days, or no won deal for M days,
 * per category) go back to the pool, unless an open opportunity exempts them. Reads only the due clocks
 * (gsi3, one Query per rule); each customer is released in its own transaction, so a failure leaves the
 * others done and a rerun safe.
 */
export async function recycleDueCustomers(
  tenantId: string,
  at: number = now(),
): Promise<{ recycled: string[] }> {
  const settings = await getPoolSettings(tenantId)
  const system = SYSTEM(tenantId)
  const recycled: string[] = []
  for (const [category, rule] of Object.entries(settings.recycle)) {
    for (const [kind, days, why] of [
      ['FUP', rule?.noFollowUpDays, '天未跟进'],
      ['WON', rule?.noWonDays, '天未成交'],
    ] as const) {
      if (!days) continue
      const before = new Date(at - days * DAY_MS).toISOString()
      for await (const clock of recycleClocksBetween(tenantId, kind, category, { before })) {
        if (recycled.includes(clock.customerId)) continue
        const done = await recycleOne(
          system,
          clock.customerId,
          `超过 ${days} ${why}，自动退回公海`,
          before,
          kind,
          settings,
        )
        if (done) recycled.push(clock.customerId)
      }
    }
  }
  return { recycled }
}

async function recycleOne(
  system: Session,
  id: string,
  reason: string,
  before: string,
  kind: RecycleKind,
  settings: PoolSettings,
): Promise<boolean> {
  return retryOnConflict(async () => {
    const current = await getRecord(Customers, system, id).catch(() => undefined)
    if (!current || inPool(current) || exemptFromRecycle(current, settings)) return false
    // Re-check against the record: a follow-up may have landed after the clock was read.
    if (recycleClockStart(current, kind) >= before) return false
    const owner = current.ownerId!
    await changeCustomer(
      system,
      current,
      releasedFields(current, reason, nowIso()),
      {
        action: 'recycled',
        summary: `客户「${current.name}」${reason}`,
      },
      [
        outboxWrite(system.tenantId, {
          kind: 'customer.recycled',
          userIds: [owner],
          title: '客户已退回公海',
          markdown: `### 客户已退回公海\n「${current.name}」${reason}`,
          link: { page: 'pages/customer/detail', query: { id } },
          recordType: 'customers',
          recordId: id,
        }),
      ],
    )
    return true
  })
}
