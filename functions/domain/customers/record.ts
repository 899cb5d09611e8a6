import { QueryCommand as RawQueryCommand } from '@aws-sdk/lib-dynamodb'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type * as z from 'zod'
import {
  type Activity,
  Customer,
  type CustomerFilter,
  type CustomerInput,
  type CustomerUpdate,
  type Page,
  type PoolSettings,
} from '../../../shared/schemas/index.js'
import { now, nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { AppError, conflict, isAppError, unprocessable } from '../../core/errors.js'
import { getDocumentClient } from '../../db/client.js'
import { defineCollection, type StoredRecord, withIndexKeys } from '../../db/collection.js'
import { commit, type Write } from '../../db/commit.js'
import { COUNTER_SORT_KEY, counterDeltas, counterWrite, type CounterChange } from '../../db/counters.js'
import { decodeCursor, encodeCursor } from '../../db/cursor.js'
import { type Entry, entryDiff } from '../../db/entries.js'
import { CounterEntity } from '../../db/counters.js'
import { CustomerEntity, EntryEntity } from '../../db/entities/lifecycle.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import { readPage } from '../../db/pages.js'
import { getRecord, getRecords, newRecord, putWrite } from '../../db/records.js'
import { table } from '../../db/table.js'
import { activityWrite, fieldChanges, timeline } from '../activity/activity.js'
import { outboxWrite } from '../notifications/outbox.js'
import { getPoolSettings } from './pool-settings.js'
import { retryOnConflict, versionConflict } from '../../db/retry.js'
import { allow, canChange, canManage, canSee, inPool, resolveOwner, type Scoped } from '../scope/scope.js'
import { nameCounter, normalizeName, searchEntries } from '../search/entries.js'
import { customerContributions, statChanges, statWrites } from '../stats/contributions.js'

/**
 * 客户 and 公海. A customer with an owner is listed under its owner (gsi2 `T#t#CUS#U#<owner>`) and
 * department (gsi3 `T#t#CUS#D#<dept>`); without one it is in the pool (gsi2 `T#t#CUS#POOL`, newest
 * release first). Counts of each list are kept (functions/db/counters.ts) and listed at the head of
 * the list's partition; search entries and recycle clocks are kept by the same transactions
 * (`sideWrites`), so the generic delete and restore keep them right too.
 */
export type CustomerRecord = StoredRecord &
  z.output<typeof Customer> & {
    lastWonAt?: string
    ownedSince?: string
    claimedAt?: string
    /** kept by the opportunities' writes (opportunities.ts) */
    openOpportunities?: number
  }

const key = (tenantId: string, ...parts: string[]) => tenantKey(tenantId, TAG.customer, ...parts)
const ownerPartition = (tenantId: string, ownerId: string) => key(tenantId, 'U', ownerId)
const poolPartition = (tenantId: string) => key(tenantId, 'POOL')
const deptPartition = (tenantId: string, deptId: string) => key(tenantId, 'D', deptId)
const collaboratorPartition = (tenantId: string, userId: string) => key(tenantId, 'C', userId)
/** children (contacts, follow-ups, opportunities, contracts...) list under `gsi2pk` = this */
export const childrenPartition = (tenantId: string, customerId: string) => key(tenantId, customerId)

/** The counters a live customer counts in: all, its owner's or the pool's, its department's. */
export function customerCounters(c: CustomerRecord): Omit<CounterChange, 'delta'>[] {
  if (c.deletedAt) return []
  const t = c.tenantId
  // each list's count heads both of its orders: by creation (gsiN) and by last follow-up (gsiNalt)
  const head = { altsk: COUNTER_SORT_KEY }
  const counters: Omit<CounterChange, 'delta'>[] = [
    { name: 'CUS', listedIn: { index: 'gsi1', pk: tenantKey(t, TAG.customer), ...head } },
    c.ownerId
      ? { name: `CUS#U#${c.ownerId}`, listedIn: { index: 'gsi2', pk: ownerPartition(t, c.ownerId), ...head } }
      : { name: 'CUS#POOL', listedIn: { index: 'gsi2', pk: poolPartition(t), ...head } },
  ]
  if (c.ownerId && c.deptId) {
    counters.push({
      name: `CUS#D#${c.deptId}`,
      listedIn: { index: 'gsi3', pk: deptPartition(t, c.deptId), ...head },
    })
  }
  const name = normalizeName(c.name)
  if (name) counters.push({ name: nameCounter(name) })
  return counters
}

/**
 * The guard of "no duplicate names": the count of live customers per normalized name (`nameCounter`),
 * kept by every customer write (a delete releases the name, a restore takes it again). A create or
 * rename under the tenant's rule may raise it only from 0, in its own transaction, so of two racing
 * creates of one name one fails.
 */
const uniqueNameLimit =
  (settings: Pick<PoolSettings, 'uniqueCustomerNames'>) =>
  (change: CounterChange): CounterChange =>
    settings.uniqueCustomerNames && change.name.startsWith(nameCounter(''))
      ? {
          ...change,
          max: 1,
          onMaxExceeded: () =>
            conflict('customer.duplicate', '已存在同名客户（忽略大小写、空格、标点和公司后缀），不允许重名', {
              name: change.name.slice(nameCounter('').length),
            }),
        }
      : change

/** The customers list by last follow-up: latest first, never followed up last. */
const followUpOrder = (c: CustomerRecord) => `${c.lastFollowUpAt ?? NEVER_FOLLOWED_UP}#${c.id}`
const NEVER_FOLLOWED_UP = '-' // sorts before every timestamp

const later = (...times: (string | undefined)[]) =>
  times
    .filter((t): t is string => !!t)
    .sort()
    .at(-1) ?? ''

/**
 * Recycle clocks of an owned customer, in gsi3 by category, ordered by when the clock started: the
 * later of "owned since" and the last follow-up (or won deal). The scheduler reads, per category, the
 * clocks that started before `now − N days`: only the due ones.
 */
function recycleClocks(c: CustomerRecord): Entry[] {
  if (c.deletedAt || !c.ownerId) return []
  const category = c.category ?? 'none'
  const clock = (kind: 'FUP' | 'WON', startedAt: string): Entry => ({
    pk: key(c.tenantId, c.id),
    sk: `#RECYCLE#${kind}`,
    tenantId: c.tenantId,
    kind: 'recycle',
    customerId: c.id,
    ownerId: c.ownerId,
    at: startedAt,
    gsi3pk: tenantKey(c.tenantId, 'RECYCLE', kind, category),
    gsi3sk: `${startedAt}#${c.id}`,
  })
  const since = c.ownedSince ?? c.createdAt
  return [clock('FUP', later(since, c.lastFollowUpAt)), clock('WON', later(since, c.lastWonAt))]
}

/**
 * A won deal (a new contract, an opportunity moved to a won stage) restarts the "no won deal" clock:
 * the deal's transaction sets the customer's `lastWonAt` to `at` and, with these writes, moves the clock
 * in the recycle index to `at` too. The clock exists only while the customer is owned, so it is written
 * for the customer as read and only if still there: a release in between fails the transaction (409
 * `version.conflict`) and the verb retries on the new state.
 */
export function wonClockWrites(
  customer: Pick<CustomerRecord, 'tenantId' | 'id' | 'ownerId' | 'deletedAt'> | undefined,
  at: string,
): Write[] {
  if (!customer || customer.deletedAt || !customer.ownerId) return []
  return [
    {
      action: EntryEntity.build(UpdateTransaction)
        .item({
          pk: key(customer.tenantId, customer.id),
          sk: '#RECYCLE#WON',
          at,
          gsi3sk: `${at}#${customer.id}`,
        })
        .options({ condition: { attr: 'pk', exists: true } }),
      onConditionFail: versionConflict,
    },
  ]
}

/**
 * A collaborator's link to the customer: their "协助跟进" list in the customers list's two orders — by
 * creation (gsi2 `T#t#CUS#C#<userId>` → id) and by last follow-up (gsi3, the same partition name →
 * `<lastFollowUpAt or ->#<id>`). A follow-up that moves the customer's `lastFollowUpAt` moves its links
 * in the same transaction (they are entries of the customer).
 */
const collaboratorLinks = (c: CustomerRecord): Entry[] =>
  (c.collaboratorIds ?? []).map((userId) => ({
    pk: key(c.tenantId, c.id),
    sk: `#COLLAB#${userId}`,
    tenantId: c.tenantId,
    kind: 'collaborator',
    customerId: c.id,
    gsi2pk: collaboratorPartition(c.tenantId, userId),
    gsi2sk: c.id,
    gsi3pk: collaboratorPartition(c.tenantId, userId),
    gsi3sk: followUpOrder(c),
  }))

const customerEntries = (c: CustomerRecord): Entry[] =>
  c.deletedAt
    ? []
    : [
        ...searchEntries(c.tenantId, 'customers', { id: c.id, name: c.name, phones: [c.phone] }),
        ...recycleClocks(c),
        ...collaboratorLinks(c),
      ]

export const Customers = defineCollection<CustomerRecord>({
  name: 'customer',
  path: 'customers',
  tag: TAG.customer,
  entity: CustomerEntity,
  schema: Customer,
  label: (c) => c.name,
  indexKeys: (c) => ({
    gsi2pk: c.ownerId ? ownerPartition(c.tenantId, c.ownerId) : poolPartition(c.tenantId),
    gsi2sk: c.ownerId ? c.id : `${c.poolEnteredAt ?? c.createdAt}#${c.id}`,
    ...(c.ownerId && c.deptId && { gsi3pk: deptPartition(c.tenantId, c.deptId), gsi3sk: c.id }),
    altsk: followUpOrder(c),
  }),
  visible: canSee,
  sideWrites: (before, after) => customerSideWrites(before, after),
})

/**
 * The items kept with a customer, taken from its state `before` to `after`; `limit` puts caps on the
 * counters the change moves (the claim's holding cap, unique names).
 */
export const customerSideWrites = (
  before: CustomerRecord | undefined,
  after: CustomerRecord,
  limit: (change: CounterChange) => CounterChange = (change) => change,
): Write[] => [
  ...counterDeltas(customerCounters, before, after).map((change) =>
    counterWrite(after.tenantId, limit(change)),
  ),
  ...entryDiff(before ? customerEntries(before) : [], customerEntries(after)),
  // 新增客户 in the reports: moves with the owner, leaves with a delete or a merge
  ...statWrites(customerContributions, before, after),
]

/**
 * Everything a live customer keeps, as plain items: the record with its index keys, its entries (search,
 * recycle clocks, collaborator links) and what it adds to each counter (its lists, its name, the
 * reports) — what `customerSideWrites` writes when the customer is created. Bulk loads (the bench) sum
 * the counters and write them outright, with the same keys the verbs use.
 */
export const customerItems = (c: CustomerRecord) => ({
  record: withIndexKeys(Customers, c),
  entries: customerEntries(c),
  counters: [
    ...counterDeltas(customerCounters, undefined, c),
    ...statChanges(customerContributions, undefined, c),
  ],
})

/** The writes that replace a customer read at `current.version` (children's verbs add them). */
export const customerWrites = (
  current: CustomerRecord,
  next: CustomerRecord,
  limit?: (change: CounterChange) => CounterChange,
): Write[] => [
  putWrite(Customers, next, { attr: 'version', eq: current.version }, versionConflict),
  ...customerSideWrites(current, next, limit),
]

const timelineOf = (id: string) => ({ tag: TAG.customer, id })

export function customerActivity(
  session: Session,
  customer: { id: string; name: string },
  action: string,
  summary: string,
  changes?: { field: string; from?: unknown; to?: unknown }[],
): Write {
  return activityWrite(session, {
    timeline: timelineOf(customer.id),
    recordType: 'customers',
    recordId: customer.id,
    action,
    summary,
    changes,
  })
}

export const getCustomer = (session: Session, id: string) => getRecord(Customers, session, id)

/** A new customer record (not yet written): the caller's, someone's (managers, admins), or the pool's. */
export async function newCustomer(
  session: Session,
  input: z.output<typeof CustomerInput>,
  { pool = false, ownerId }: { pool?: boolean; ownerId?: string } = {},
): Promise<CustomerRecord> {
  const { ownerId: asked, collaboratorIds, ...fields } = input
  const wanted = pool
    ? undefined
    : (ownerId ?? (session.role === 'member' ? session.userId : (asked ?? session.userId)))
  const owner = wanted ? await resolveOwner(session, wanted) : undefined
  const at = nowIso()
  return newRecord(session, {
    ...fields,
    collaboratorIds: collaboratorIds?.filter((id) => id !== owner?.id),
    ownerId: owner?.id,
    deptId: owner?.deptId,
    ownedSince: owner ? at : undefined,
    poolEnteredAt: owner ? undefined : at,
    wonAmount: 0,
  }) as CustomerRecord
}

/**
 * The writes that create a customer: the record, its kept items, its first timeline entry. With the
 * tenant's rules given, a name another live customer has is refused (409 `customer.duplicate`).
 */
export function createCustomerWrites(
  session: Session,
  customer: CustomerRecord,
  summary?: string,
  rules?: Pick<PoolSettings, 'uniqueCustomerNames'>,
): Write[] {
  return [
    putWrite(Customers, customer, { attr: 'id', exists: false }, () =>
      conflict('customer.duplicate', 'id 冲突'),
    ),
    ...customerSideWrites(undefined, customer, rules && uniqueNameLimit(rules)),
    customerActivity(
      session,
      customer,
      'created',
      summary ??
        (customer.ownerId ? `创建了客户「${customer.name}」` : `在公海创建了客户「${customer.name}」`),
    ),
  ]
}

export async function createCustomer(
  session: Session,
  input: z.output<typeof CustomerInput>,
  options: { pool?: boolean } = {},
): Promise<CustomerRecord> {
  const [customer, rules] = await Promise.all([
    newCustomer(session, input, options),
    getPoolSettings(session.tenantId),
  ])
  // a create racing another on the same name may lose on the name counter: the retry says which rule
  await retryOnConflict(() => commit(createCustomerWrites(session, customer, undefined, rules), customer))
  return customer
}

export const EDITABLE = [
  'name',
  'category',
  'source',
  'phone',
  'address',
  'location',
  'industry',
  'remark',
] as const

/** A changed customer, written only over the version the change was made from, with its timeline entry. */
async function change(
  session: Session,
  current: CustomerRecord,
  changes: Partial<CustomerRecord>,
  activity: { action: string; summary: string },
  extraWrites: Write[] = [],
  limit?: (change: CounterChange) => CounterChange,
): Promise<CustomerRecord> {
  const next = { ...current, ...changes, updatedAt: nowIso(), version: current.version + 1 }
  await commit(
    [
      ...customerWrites(current, next, limit),
      customerActivity(
        session,
        next,
        activity.action,
        activity.summary,
        fieldChanges(current, next, [...EDITABLE, 'ownerId', 'collaboratorIds']),
      ),
      ...extraWrites,
    ],
    next,
  )
  return next
}

export async function updateCustomer(
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof CustomerUpdate>> & { version: number },
): Promise<CustomerRecord> {
  const [current, rules] = await Promise.all([
    getCustomer(session, id),
    // a rename may meet the unique-name rule
    changes.name === undefined ? undefined : getPoolSettings(session.tenantId),
  ])
  allow(
    canChange(session, current),
    inPool(current) ? '公海客户只有经理或管理员可以修改' : '只有负责人或其上级可以修改客户',
  )
  if (current.version !== version) throw versionConflict()
  return change(
    session,
    current,
    changes,
    { action: 'updated', summary: `修改了客户「${current.name}」` },
    [],
    rules && uniqueNameLimit(rules),
  )
}

/** To the recycle bin; its children stay linked to it and come back with it on restore. */
export async function removeCustomer(session: Session, id: string): Promise<CustomerRecord> {
  const current = await getCustomer(session, id)
  allow(canChange(session, current), '只有负责人或其上级可以删除客户')
  const at = nowIso()
  return change(
    session,
    current,
    { deletedAt: at, deletedBy: session.userId },
    {
      action: 'deleted',
      summary: `删除了客户「${current.name}」（可在回收站恢复）`,
    },
  )
}

const DAY_MS = 24 * 3600 * 1000
/** The tenant's business day (Asia/Shanghai, UTC+8, no DST) as `YYYY-MM-DD`. */
const businessDay = (ms: number) => new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 10)

/**
 * 转为我的客户. The write holds only if the customer is still ownerless at the version read, so of
 * any number of racing claims exactly one commits; the others answer 409 `pool.already_claimed`. The
 * daily claim count and the holding count are kept counters raised in the same transaction under a cap.
 */
export function claimCustomer(session: Session, id: string): Promise<CustomerRecord> {
  return retryOnConflict(async () => {
    const [settings, current] = await Promise.all([
      getPoolSettings(session.tenantId),
      getRecord(Customers, session, id).catch(async (error) => {
        throw isAppError(error, 'customer.not_found') && (await justClaimed(session, id))
          ? alreadyClaimed()
          : error
      }),
    ])
    if (current.ownerId) throw alreadyClaimed()
    checkCooldown(session, current, settings)
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
        customerActivity(session, next, 'claimed', `从公海领取了客户「${next.name}」`),
      ],
      next,
    )
    return next
  }).catch(async (error) => {
    // Lost every retry to other writers: if someone owns it now, that is the answer.
    if ((error as { code?: string }).code === 'version.conflict') throw alreadyClaimed()
    throw error
  })
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
  const won = await countOwned(session, { attr: 'wonAmount', gt: 0 })
  return {
    max: holdingCap + won,
    message: `名下未成交客户已达上限 ${holdingCap} 个，请先释放部分客户`,
  }
}

/** How many of the caller's customers match `where`: a COUNT Query on their list, page by page. */
async function countOwned(session: Session, where: Filter): Promise<number> {
  let count = 0
  let start: Record<string, unknown> | undefined
  do {
    const params = table
      .build(QueryCommand)
      .entities(CustomerEntity)
      .query({ index: 'gsi2', partition: ownerPartition(session.tenantId, session.userId) })
      .options({ select: 'COUNT', exclusiveStartKey: start, filters: { customers: where } })
      .params()
    const page = await getDocumentClient().send(new RawQueryCommand(params))
    count += page.Count ?? 0
    start = page.LastEvaluatedKey
  } while (start)
  return count
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
const releasedFields = (current: CustomerRecord, reason: string, at: string): Partial<CustomerRecord> => ({
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
export async function releaseCustomer(session: Session, id: string, reason: string): Promise<CustomerRecord> {
  const current = await getCustomer(session, id)
  if (inPool(current)) throw conflict('pool.already_in_pool', '该客户已在公海中')
  allow(canChange(session, current), '只有负责人或其上级可以将客户退回公海')
  const [released, view] = await Promise.all([
    change(session, current, releasedFields(current, reason, nowIso()), {
      action: 'released',
      summary: `将客户「${current.name}」退回公海：${reason}`,
    }),
    // the answer is a pool customer now: as the pool shows it
    phoneView(session, [IN_POOL]),
  ])
  return view(released, released)
}

/** 经理调整: a manager (in scope) or an admin gives the customer to someone, also from the pool. */
export async function assignCustomer(session: Session, id: string, ownerId: string): Promise<CustomerRecord> {
  const current = await getCustomer(session, id)
  allow(canManage(session, current), '只有经理或管理员可以调整负责人')
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
  return change(
    session,
    current,
    next,
    { action: 'assigned', summary: `将客户「${current.name}」分配给 ${owner.id}` },
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

/** 分类调整 */
export async function setCategory(session: Session, id: string, category: CustomerRecord['category']) {
  const current = await getCustomer(session, id)
  allow(canChange(session, current), '只有负责人或其上级可以调整分类')
  return change(
    session,
    current,
    { category },
    { action: 'category_changed', summary: `将客户「${current.name}」分类调整为 ${category}` },
  )
}

/** 协助跟进人 */
export async function setCollaborators(session: Session, id: string, collaboratorIds: string[]) {
  const current = await getCustomer(session, id)
  if (inPool(current)) throw unprocessable('customer.in_pool', '公海客户不能设置协助跟进人')
  allow(canChange(session, current), '只有负责人或其上级可以设置协助跟进人')
  const ids = [...new Set(collaboratorIds)].filter((c) => c !== current.ownerId)
  return change(
    session,
    current,
    { collaboratorIds: ids },
    {
      action: 'collaborators_changed',
      summary: `设置了客户「${current.name}」的协助跟进人`,
    },
  )
}

// ------------------------------------------------------------------------------------------ lists

interface ListPlan {
  index: 'gsi1' | 'gsi2' | 'gsi3'
  pk: string
  /** scope the partition alone does not give */
  scope?: Filter
}

/**
 * Which one partition a list page reads: the pool; an owner's or a department's customers; for a
 * member their own; for a manager their department (or, leading several, all with a scope filter); for
 * an admin everything.
 */
function planList(
  session: Session,
  filter: { ownerId?: string; deptId?: string },
  pool: boolean,
): ListPlan | null {
  const t = session.tenantId
  if (pool) return { index: 'gsi2', pk: poolPartition(t) }
  const { role, userId, scopeDeptIds } = session
  const inScope = {
    or: [
      { attr: 'deptId', in: scopeDeptIds },
      { attr: 'ownerId', eq: userId },
    ],
  }
  if (filter.ownerId) {
    if (role === 'member' && filter.ownerId !== userId) return null
    return {
      index: 'gsi2',
      pk: ownerPartition(t, filter.ownerId),
      scope: role === 'manager' && filter.ownerId !== userId && scopeDeptIds.length ? inScope : undefined,
    }
  }
  if (filter.deptId) {
    if (role === 'member' || (role === 'manager' && !scopeDeptIds.includes(filter.deptId))) return null
    return { index: 'gsi3', pk: deptPartition(t, filter.deptId) }
  }
  if (role === 'admin') return { index: 'gsi1', pk: tenantKey(t, TAG.customer) }
  if (role === 'manager' && scopeDeptIds.length === 1)
    return { index: 'gsi3', pk: deptPartition(t, scopeDeptIds[0]) }
  if (role === 'manager' && scopeDeptIds.length > 1) {
    return {
      index: 'gsi1',
      pk: tenantKey(t, TAG.customer),
      scope: { and: [{ attr: 'ownerId', exists: true }, inScope] },
    }
  }
  return { index: 'gsi2', pk: ownerPartition(t, userId) }
}

const dayStart = (date: string) => new Date(`${date}T00:00:00+08:00`).toISOString()
const dayEnd = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`) + DAY_MS - 1).toISOString()

export const customerFilter = (f: z.output<typeof CustomerFilter>): Filter | undefined =>
  all(
    f.q && { attr: 'name', contains: f.q },
    f.category && { attr: 'category', eq: f.category },
    f.source && { attr: 'source', eq: f.source },
    f.lastFollowUpFrom && { attr: 'lastFollowUpAt', gte: dayStart(f.lastFollowUpFrom) },
    f.lastFollowUpTo && { attr: 'lastFollowUpAt', lte: dayEnd(f.lastFollowUpTo) },
  )

/**
 * One page of customers: a Query on one partition (`readPage`: one call unless a filter leaves the page
 * short), newest first — by creation on the list's index, or by last follow-up on its second order
 * (`<index>alt`, where a follow-up range is a key range). On the first page of an unfiltered list the
 * partition's kept count comes back with the items (it sorts first in both orders): `total`. A member
 * looking at the pool under masked phones also reads the rules.
 */
export async function listCustomers(
  session: Session,
  filter: z.output<typeof CustomerFilter>,
  { pool = false } = {},
): Promise<{ items: CustomerRecord[]; nextCursor: string | null; total: number | null }> {
  if (filter.collaborating && !pool) return listCollaborating(session, filter)
  const plan = planList(session, filter, pool)
  if (!plan) return { items: [], nextCursor: null, total: 0 }
  const byFollowUp = filter.sort === 'lastFollowUpAt'
  const index = byFollowUp ? (`${plan.index}alt` as const) : plan.index
  const sortKey = byFollowUp ? 'altsk' : `${plan.index}sk`
  const range = byFollowUp ? followUpRange(filter) : undefined
  const condition = all(
    plan.scope,
    customerFilter(range ? { ...filter, lastFollowUpFrom: undefined, lastFollowUpTo: undefined } : filter),
  )
  // the count item takes one place on the first page (a follow-up range leaves it out)
  const withCount = !filter.cursor && !range
  const params = table
    .build(QueryCommand)
    .entities(CustomerEntity, CounterEntity)
    .query({ index, partition: plan.pk, ...(range && { range }) })
    .options({
      limit: filter.limit + (withCount ? 1 : 0),
      reverse: true,
      exclusiveStartKey: listCursor(filter.cursor, session.tenantId, plan.pk, `${plan.index}pk`, sortKey),
      ...(condition && { filters: { customers: condition } }),
    })
    .params()
  const isCount = (i: Record<string, unknown>) => i[sortKey] === COUNTER_SORT_KEY
  const [{ items: read, nextCursor }, poolView] = await Promise.all([
    readPage(params, { limit: filter.limit, extra: isCount }),
    // the pool: its rules in parallel with the page
    pool ? phoneView(session, [IN_POOL]) : undefined,
  ])
  const counter = read.find(isCount) as { count: number } | undefined
  const items = read.filter((i) => !isCount(i)) as CustomerRecord[]
  const view = poolView ?? (await phoneView(session, items))
  return {
    items: items.map((c) => view(c, c)),
    nextCursor,
    total: withCount && !condition ? (counter?.count ?? 0) : null,
  }
}

/** A last-follow-up range as a key range of the follow-up order (the count at `~` stays outside). */
function followUpRange(f: z.output<typeof CustomerFilter>) {
  if (!f.lastFollowUpFrom && !f.lastFollowUpTo) return undefined
  const from = f.lastFollowUpFrom ? dayStart(f.lastFollowUpFrom) : '0' // after "never followed up"
  const to = f.lastFollowUpTo ? `${dayEnd(f.lastFollowUpTo)}#~` : '9' // before the count
  return { between: [from, to] as [string, string] }
}

/** A cursor of this very list and order: one of another list would start a Query at a foreign key. */
function listCursor(
  cursor: string | undefined,
  tenantId: string,
  pk: string,
  pkName: string,
  skName: string,
) {
  const start = decodeCursor(cursor, tenantId)
  if (start && (start[pkName] !== pk || !(skName in start))) {
    throw new AppError(400, 'validation.failed', 'cursor 不属于这个列表或排序，请从第一页重新加载')
  }
  return start
}

// ---------------------------------------------------------------------------- 公海号码保护

/** `13812345678` → `138****5678` */
export const maskPhone = (phone: string): string =>
  phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****'

const PHONE_FIELDS: readonly string[] = ['phone', 'mobile', 'officePhone']
const maskValue = (value: unknown) => (typeof value === 'string' && value ? maskPhone(value) : value)

/**
 * The one masking function: the number fields of a customer or a contact (`phone`, `mobile`,
 * `officePhone`), and the old → new of those fields in an activity entry's `changes`.
 */
export function maskPhones<R extends object>(record: R): R {
  const masked = { ...record } as Record<string, unknown>
  for (const field of PHONE_FIELDS) if (field in masked) masked[field] = maskValue(masked[field])
  if (Array.isArray(masked.changes)) {
    masked.changes = (masked.changes as { field: string; from?: unknown; to?: unknown }[]).map((c) =>
      PHONE_FIELDS.includes(c.field) ? { ...c, from: maskValue(c.from), to: maskValue(c.to) } : c,
    )
  }
  return masked as R
}

/** A record as the caller may see it, given the customer it belongs to (itself, for a customer). */
export interface PhoneView {
  <R extends object>(record: R, customer: Scoped | undefined): R
  /** does this caller get pool numbers masked at all? (then the customers of a page are worth a read) */
  masks: boolean
}

/** What `phoneView` is asked about a record whose customer is not read yet: "if it were in the pool". */
export const IN_POOL: Scoped = {}

/**
 * How the caller sees the numbers of these customers and of what belongs to them (contacts, timeline):
 * a member sees a pool customer's masked while the tenant masks them, until they claim it; managers and
 * admins, who manage the pool, see them whole. Every path that answers such a record passes it through
 * the view. Reads the rules only when a member meets a pool customer.
 */
export async function phoneView(session: Session, customers: Scoped[]): Promise<PhoneView> {
  const masks =
    session.role === 'member' &&
    customers.some(inPool) &&
    (await getPoolSettings(session.tenantId)).maskPoolPhones
  const view = <R extends object>(record: R, customer: Scoped | undefined) =>
    masks && customer && inPool(customer) ? maskPhones(record) : record
  return Object.assign(view, { masks })
}

/** A customer as the caller sees it (`GET /api/customers/{id}`): pool phones masked for members. */
export async function viewCustomer(session: Session, id: string): Promise<CustomerRecord> {
  const customer = await getCustomer(session, id)
  return (await phoneView(session, [customer]))(customer, customer)
}

/** A customer's timeline (`GET /api/customers/{id}/timeline`), newest first, numbers as the caller sees them. */
export async function customerTimeline(
  session: Session,
  id: string,
  page: { limit: number; cursor?: string },
): Promise<Page<Activity>> {
  const customer = await getCustomer(session, id)
  const [entries, view] = await Promise.all([
    timeline(session, timelineOf(id), page),
    phoneView(session, [customer]),
  ])
  return { ...entries, items: entries.items.map((entry) => view(entry, customer)) }
}

/**
 * 我协助的客户, in either order of the customers list: one Query on the caller's collaborator links (gsi2
 * by creation, gsi3 by last follow-up), then the customers themselves (one BatchGetItem), so the page is
 * never stale.
 */
async function listCollaborating(session: Session, filter: z.output<typeof CustomerFilter>) {
  const index = filter.sort === 'lastFollowUpAt' ? 'gsi3' : 'gsi2'
  const partition = collaboratorPartition(session.tenantId, session.userId)
  const params = table
    .build(QueryCommand)
    .query({ index, partition })
    .options({
      limit: filter.limit,
      reverse: true,
      exclusiveStartKey: listCursor(filter.cursor, session.tenantId, partition, `${index}pk`, `${index}sk`),
    })
    .params()
  const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(new RawQueryCommand(params))
  const ids = Items.map((link) => link.customerId as string)
  const records = await getRecords(Customers, session.tenantId, ids)
  const items = ids.map((id) => records.get(id)).filter((c): c is CustomerRecord => !!c && canSee(session, c))
  return { items, nextCursor: encodeCursor(LastEvaluatedKey), total: null }
}

// ------------------------------------------------------------------------------------ recycling

const SYSTEM = (tenantId: string): Session => ({
  tenantId,
  userId: 'system',
  name: '系统',
  role: 'admin',
  deptIds: [],
  scopeDeptIds: [],
})

/** The rules' kinds of recycle clock: no follow-up for N days, no won deal for M days. */
export type RecycleKind = 'FUP' | 'WON'

/** When a customer's clock of this kind started: the later of "owned since" and the last follow-up (won deal). */
export function recycleClockStart(c: CustomerRecord, kind: RecycleKind): string {
  const since = c.ownedSince ?? c.createdAt
  return later(since, kind === 'FUP' ? c.lastFollowUpAt : c.lastWonAt)
}

/** 有进行中商机的客户不回收 (when the tenant's rules say so). */
export const exemptFromRecycle = (c: CustomerRecord, settings: PoolSettings): boolean =>
  settings.exemptOpenOpportunity && (c.openOpportunities ?? 0) > 0

/**
 * The recycle clocks of one category and kind that started in `[from, before)`, oldest first: one
 * Query on gsi3 per 100 clocks, whatever the number of customers whose clocks are not due.
 */
export async function* recycleClocksBetween(
  tenantId: string,
  kind: RecycleKind,
  category: string,
  { from, before }: { from?: string; before: string },
): AsyncGenerator<{ customerId: string; ownerId: string; at: string }> {
  let start: Record<string, unknown> | undefined
  do {
    const params = table
      .build(QueryCommand)
      .query({
        index: 'gsi3',
        partition: tenantKey(tenantId, 'RECYCLE', kind, category),
        range: from ? { between: [from, before] } : { lt: before },
      })
      .options({ limit: 100, exclusiveStartKey: start })
      .params()
    const { Items = [], LastEvaluatedKey } = await getDocumentClient().send(new RawQueryCommand(params))
    // keys are `<start>#<id>`: `<= before` holds only for starts before it, so the range is half-open
    yield* Items as { customerId: string; ownerId: string; at: string }[]
    start = LastEvaluatedKey
  } while (start)
}

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
    await change(
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
