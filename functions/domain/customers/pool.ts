import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { type PoolSettings } from '../../../shared/schemas/index.js'
import { now, nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { conflict, isAppError, unprocessable } from '../../core/errors.js'
import { commit } from '../../db/commit.js'
import { counterDeltas, counterWrite, type CounterChange } from '../../db/counters.js'
import { entryDiff } from '../../db/entries.js'
import { CustomerEntity } from '../../db/entities/lifecycle.js'
import { editRecord, putWrite } from '../../db/records.js'
import { outboxWrite } from '../notifications/outbox.js'
import { heldPoolSettings } from './pool-settings.js'
import { retryOnConflict } from '../../db/retry.js'
import { allow, canChange, canManage, inPool, resolveOwner } from '../scope/scope.js'
import { customerContributions, statWrites } from '../stats/contributions.js'
import {
  changeCustomer,
  customerActivity,
  customerCounters,
  customerEntries,
  Customers,
  type CustomerRecord,
} from './record.js'
import { IN_POOL, phoneView } from './phones.js'
import { ownedCustomerCount } from './queries.js'
import { DAY_MS } from '../../core/days.js'

/** The tenant's business day (Asia/Shanghai, UTC+8, no DST) as `YYYY-MM-DD`. */
const businessDay = (ms: number) => new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 10)

/**
 * 转为我的客户. The write holds only if the customer is still ownerless at the version read, so of
 * any number of racing claims exactly one commits; the others answer 409 `pool.already_claimed`. The
 * daily claim count and the holding count are kept counters raised in the same transaction under a cap.
 */
export function claimCustomer(session: Session, id: string): Promise<CustomerRecord> {
  return retryOnConflict(() =>
    editRecord(Customers, session, id, {
      alongside: () => heldPoolSettings(session.tenantId),
      may: (current, { alongside: settings }) => {
        if (current.ownerId) throw alreadyClaimed()
        checkCooldown(session, current, settings)
      },
      change: (current, { alongside: settings }) => commitClaim(session, current, settings),
    }).catch(async (error) => {
      throw isAppError(error, 'customer.not_found') && (await justClaimed(session, id))
        ? alreadyClaimed()
        : error
    }),
  ).catch(async (error) => {
    // Lost every retry to other writers: if someone owns it now, that is the answer.
    if ((error as { code?: string }).code === 'version.conflict') throw alreadyClaimed()
    throw error
  })
}

/** The claim's one transaction: the customer if still ownerless at the version read, under the caps. */
async function commitClaim(session: Session, current: CustomerRecord, settings: PoolSettings) {
  const cap = await holdingCapFor(session, current, settings)
  const at = nowIso()
  const next: CustomerRecord = {
    ...current,
    ownerId: session.userId,
    deptId: session.deptIds[0],
    ownedSince: at,
    claimedAt: at,
    poolEnteredAt: undefined,
    releaseReason: undefined,
    collaboratorIds: undefined,
    updatedAt: at,
    version: current.version + 1,
  }
  const ownerCounter = `CUS#U#${session.userId}`
  await commit(
    [
      putWrite(
        Customers,
        next,
        {
          and: [
            { attr: 'ownerId', exists: false },
            { attr: 'version', eq: current.version },
          ],
        },
        alreadyClaimed,
      ),
      ...counterDeltas(customerCounters, current, next).map((c) =>
        counterWrite(session.tenantId, c.name === ownerCounter ? withHoldingCap(c, cap) : c),
      ),
      ...entryDiff(customerEntries(current), customerEntries(next)),
      ...statWrites(customerContributions, current, next),
      ...(settings.dailyClaimLimit
        ? [
            counterWrite(session.tenantId, {
              name: `CLAIM#U#${session.userId}#${businessDay(now())}`,
              delta: 1,
              max: settings.dailyClaimLimit,
              onMaxExceeded: () =>
                unprocessable(
                  'pool.claim_limit_reached',
                  `今天已领取 ${settings.dailyClaimLimit} 个公海客户，已达每日上限`,
                ),
            }),
          ]
        : []),
      ...customerActivity(session, next, 'claimed', `从公海领取了客户「${next.name}」`),
    ],
    next,
  )
  return next
}

/**
 * Was the customer claimed from the pool a moment ago? Then a claimer who saw it there (and now is out
 * of its scope) hears "already claimed", not "does not exist"; older owned customers stay 404.
 */
async function justClaimed(session: Session, id: string): Promise<boolean> {
  const { Item } = await CustomerEntity.build(GetItemCommand).key({ tenantId: session.tenantId, id }).send()
  return !!Item?.claimedAt && !Item.deletedAt && now() - Date.parse(Item.claimedAt) < CLAIM_RACE_WINDOW_MS
}
const CLAIM_RACE_WINDOW_MS = 10 * 60 * 1000

const alreadyClaimed = () => conflict('pool.already_claimed', '该客户已被他人领取')

interface HoldingCap {
  /** the most customers the owner counter (all their customers) may reach; none = no cap */
  max?: number
  message: string
}

/**
 * The cap a claim's owner counter must stay under. When closed-won customers do not count, the cap
 * rises by how many won customers the claimer holds — counted in their own list, whose `wonAmount`
 * the contracts keep — and claiming a won customer meets no cap.
 */
async function holdingCapFor(
  session: Session,
  customer: CustomerRecord,
  settings: PoolSettings,
): Promise<HoldingCap> {
  const { holdingCap } = settings
  if (!holdingCap) return { message: '' }
  if (!settings.holdingCapExcludesWon) {
    return { max: holdingCap, message: `名下客户已达上限 ${holdingCap} 个，请先释放部分客户` }
  }
  if (customer.wonAmount > 0) return { message: '' }
  const won = await ownedCustomerCount(session, { attr: 'wonAmount', gt: 0 })
  return {
    max: holdingCap + won,
    message: `名下未成交客户已达上限 ${holdingCap} 个，请先释放部分客户`,
  }
}

function withHoldingCap(change: CounterChange, cap: HoldingCap): CounterChange {
  if (cap.max === undefined) return change
  return {
    ...change,
    max: cap.max,
    onMaxExceeded: () => unprocessable('pool.holding_cap_reached', cap.message),
  }
}

function checkCooldown(session: Session, customer: CustomerRecord, settings: PoolSettings) {
  if (!settings.cooldownDays || customer.prevOwnerId !== session.userId || !customer.poolEnteredAt) return
  const until = Date.parse(customer.poolEnteredAt) + settings.cooldownDays * DAY_MS
  if (now() < until) {
    throw unprocessable(
      'pool.cooldown',
      `退回公海 ${settings.cooldownDays} 天内原负责人不能再次领取（${new Date(until).toISOString().slice(0, 10)} 后可领取）`,
      { availableAt: new Date(until).toISOString() },
    )
  }
}

/** The fields of a customer that goes (back) to the pool. */
export const releasedFields = (
  current: CustomerRecord,
  reason: string,
  at: string,
): Partial<CustomerRecord> => ({
  ownerId: undefined,
  deptId: undefined,
  ownedSince: undefined,
  claimedAt: undefined,
  collaboratorIds: undefined,
  prevOwnerId: current.ownerId,
  poolEnteredAt: at,
  releaseReason: reason,
})

/** 返回公海: owner cleared, previous owner and entry time kept; its contacts go with it. */
export const releaseCustomer = (session: Session, id: string, reason: string): Promise<CustomerRecord> =>
  editRecord(Customers, session, id, {
    may: (current) => {
      if (inPool(current)) throw conflict('pool.already_in_pool', '该客户已在公海中')
      allow(canChange(session, current), '只有负责人或其上级可以将客户退回公海')
    },
    change: async (current) => {
      const [released, view] = await Promise.all([
        changeCustomer(session, current, releasedFields(current, reason, nowIso()), {
          action: 'released',
          summary: `将客户「${current.name}」退回公海：${reason}`,
        }),
        // the answer is a pool customer now: as the pool shows it
        phoneView(session, [IN_POOL]),
      ])
      return view(released, released)
    },
  })

/** 经理调整: a manager (in scope) or an admin gives the customer to someone, also from the pool. */
export const assignCustomer = (session: Session, id: string, ownerId: string): Promise<CustomerRecord> =>
  editRecord(Customers, session, id, {
    may: (current) => allow(canManage(session, current), '只有经理或管理员可以调整负责人'),
    change: (current) => assignTo(session, current, ownerId),
  })

async function assignTo(session: Session, current: CustomerRecord, ownerId: string) {
  const id = current.id
  const owner = await resolveOwner(session, ownerId)
  if (current.ownerId === owner.id) return current
  const at = nowIso()
  const next = {
    ownerId: owner.id,
    deptId: owner.deptId,
    ownedSince: at,
    claimedAt: undefined,
    poolEnteredAt: undefined,
    releaseReason: undefined,
    prevOwnerId: current.ownerId ?? current.prevOwnerId,
    collaboratorIds: current.collaboratorIds?.filter((c) => c !== owner.id),
  }
  return changeCustomer(
    session,
    current,
    next,
    { action: 'assigned', summary: `将客户「${current.name}」分配给 ${owner.name}` },
    owner.id === session.userId
      ? []
      : [
          outboxWrite(session.tenantId, {
            kind: 'customer.assigned',
            userIds: [owner.id],
            title: '你有一个新客户',
            markdown: `### 你有一个新客户\n${session.name} 把客户「${current.name}」分配给了你`,
            link: { page: 'pages/customer/detail', query: { id } },
            recordType: 'customers',
            recordId: id,
          }),
        ],
  )
}
