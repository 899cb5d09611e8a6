import { UpdateTransaction } from 'dynamodb-toolbox/entity/actions/transactUpdate'
import type * as z from 'zod'
import {
  Customer,
  type CustomerInput,
  type CustomerUpdate,
  MergeField,
  type PoolSettings,
} from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { conflict, unprocessable } from '../../core/errors.js'
import { defineCollection, type StoredRecord, withIndexKeys } from '../../db/collection.js'
import { commit, type Write } from '../../db/commit.js'
import { customEntryWrites } from '../../db/custom-index.js'
import { COUNTER_SORT_KEY, counterDeltas, counterWrite, type CounterChange } from '../../db/counters.js'
import { type Entry, entryDiff } from '../../db/entries.js'
import { CustomerEntity, EntryEntity } from '../../db/entities/lifecycle.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { editRecord, getRecord, newRecord, putWrite, versionConflict, withCustom } from '../../db/records.js'
import { activityWrites, audienceOf, fieldChanges } from '../activity/activity.js'
import { gate } from '../approvals/submission.js'
import { heldApprovalSettings } from '../approvals/settings.js'
import { heldPoolSettings } from './pool-settings.js'
import { retryOnConflict } from '../../db/retry.js'
import { allow, canChange, canSee, inPool, resolveOwner } from '../scope/scope.js'
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
    /** kept by the opportunities' writes (opportunities/record.ts) */
    openOpportunities?: number
  }

const key = (tenantId: string, ...parts: string[]) => tenantKey(tenantId, TAG.customer, ...parts)
export const ownerPartition = (tenantId: string, ownerId: string) => key(tenantId, 'U', ownerId)
export const poolPartition = (tenantId: string) => key(tenantId, 'POOL')
export const deptPartition = (tenantId: string, deptId: string) => key(tenantId, 'D', deptId)
export const collaboratorPartition = (tenantId: string, userId: string) => key(tenantId, 'C', userId)
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
export const uniqueNameLimit =
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

/** The rules' kinds of recycle clock: no follow-up for N days, no won deal for M days. */
export type RecycleKind = 'FUP' | 'WON'

/** When a customer's clock of this kind started: the later of "owned since" and the last follow-up (won deal). */
export function recycleClockStart(c: CustomerRecord, kind: RecycleKind): string {
  const since = c.ownedSince ?? c.createdAt
  return later(since, kind === 'FUP' ? c.lastFollowUpAt : c.lastWonAt)
}

/** The index each kind of recycle clock is kept in (both on one item of the customer, `#RECYCLE`). */
export const RECYCLE_INDEX = { FUP: 'gsi3', WON: 'gsi2' } as const satisfies Record<RecycleKind, string>

/**
 * The item a live customer keeps beside its record (`#RECYCLE`): while it is owned, both its recycle
 * clocks, by category, ordered by when the clock started (the later of "owned since" and the last
 * follow-up, or won deal) — "no follow-up" in gsi3 `T#t#RECYCLE#FUP#<category>`, "no won deal" in gsi2
 * `T#t#RECYCLE#WON#<category>`; the index keys it leaves free carry search postings (`searchEntries`'
 * head). The scheduler reads, per rule and category, the clocks that started before `now − N days`: only
 * the due ones.
 */
function sideItem(c: CustomerRecord): Entry {
  const category = c.category ?? 'none'
  const index = (kind: RecycleKind, startedAt = recycleClockStart(c, kind)) => ({
    [`${RECYCLE_INDEX[kind]}pk`]: tenantKey(c.tenantId, 'RECYCLE', kind, category),
    [`${RECYCLE_INDEX[kind]}sk`]: `${startedAt}#${c.id}`,
  })
  return {
    pk: key(c.tenantId, c.id),
    sk: '#RECYCLE',
    tenantId: c.tenantId,
    kind: 'recycle',
    customerId: c.id,
    ...(c.ownerId && {
      ownerId: c.ownerId,
      at: recycleClockStart(c, 'FUP'),
      ...index('FUP'),
      ...index('WON'),
    }),
  }
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
          sk: '#RECYCLE',
          [`${RECYCLE_INDEX.WON}sk`]: `${at}#${customer.id}`,
        })
        .options({ condition: { attr: `${RECYCLE_INDEX.WON}pk`, exists: true } }),
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

export const customerEntries = (c: CustomerRecord): Entry[] =>
  c.deletedAt
    ? []
    : [
        ...searchEntries(
          c.tenantId,
          'customers',
          {
            id: c.id,
            custom: c.custom as Record<string, unknown> | undefined,
            name: c.name,
            phones: [c.phone],
            ownerId: c.ownerId,
            deptId: c.deptId,
            collaboratorIds: c.collaboratorIds,
          },
          { head: sideItem(c) },
        ),
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
  ...customEntryWrites(Customers, current, next),
]

export const timelineOf = (id: string) => ({ tag: TAG.customer, id })

/** A customer's activity: on its timeline, and in the feed of whoever holds it (owner, collaborators, department). */
export function customerActivity(
  session: Session,
  customer: Pick<CustomerRecord, 'id' | 'name' | 'ownerId' | 'collaboratorIds' | 'deptId'>,
  action: string,
  summary: string,
  changes?: { field: string; from?: unknown; to?: unknown }[],
): Write[] {
  return activityWrites(session, {
    timeline: timelineOf(customer.id),
    audience: audienceOf(customer),
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
    ...customEntryWrites(Customers, undefined, customer),
    ...customerActivity(
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
  // the tenant's flows are read alongside its rules and the owner, not after them
  const flows = heldApprovalSettings(session.tenantId)
  flows.catch(() => undefined) // awaited by the gate; a read failing first leaves it unawaited
  const [customer, rules] = await Promise.all([
    newCustomer(session, input, options),
    heldPoolSettings(session.tenantId),
  ])
  const gated = await gate(session, 'customers', 'create', customer, customer.name, flows)
  // a create racing another on the same name may lose on the name counter: the retry says which rule
  await retryOnConflict(() =>
    commit([...createCustomerWrites(session, gated.record, undefined, rules), ...gated.writes], gated.record),
  )
  return gated.record
}

/** The fields an edit changes (and a merge chooses among): one list, the merge schema's. */
export const EDITABLE = MergeField.options

/** A changed customer, written only over the version the change was made from, with its timeline entry. */
export async function changeCustomer(
  session: Session,
  current: CustomerRecord,
  changes: Partial<CustomerRecord>,
  activity: { action: string; summary: string },
  extraWrites: Write[] = [],
  limit?: (change: CounterChange) => CounterChange,
): Promise<CustomerRecord> {
  const next = {
    ...current,
    ...changes,
    ...withCustom(current, changes),
    updatedAt: nowIso(),
    version: current.version + 1,
  }
  await commit(
    [
      ...customerWrites(current, next, limit),
      ...customerActivity(
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

/** Edits of a customer by its owner or whoever manages it (`canChange`), written by `changeCustomer`. */
const mayChange = (session: Session, forbidden: string) => (current: CustomerRecord) =>
  allow(canChange(session, current), forbidden)

export const updateCustomer = (
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof CustomerUpdate>> & { version: number },
): Promise<CustomerRecord> =>
  editRecord(Customers, session, id, {
    version,
    // a rename may meet the unique-name rule
    alongside: async () => (changes.name === undefined ? undefined : heldPoolSettings(session.tenantId)),
    may: (current) =>
      mayChange(
        session,
        inPool(current) ? '公海客户只有经理或管理员可以修改' : '只有负责人或其上级可以修改客户',
      )(current),
    change: async (current, { alongside: rules }) => {
      const gated = await gate(
        session,
        'customers',
        'update',
        { ...current, ...changes },
        changes.name ?? current.name,
      )
      return changeCustomer(
        session,
        current,
        { ...changes, approval: gated.record.approval },
        { action: 'updated', summary: `修改了客户「${current.name}」` },
        gated.writes,
        rules && uniqueNameLimit(rules),
      )
    },
  })

/** To the recycle bin; its children stay linked to it and come back with it on restore. */
export const removeCustomer = (session: Session, id: string): Promise<CustomerRecord> =>
  editRecord(Customers, session, id, {
    may: mayChange(session, '只有负责人或其上级可以删除客户'),
    change: (current) =>
      changeCustomer(
        session,
        current,
        { deletedAt: nowIso(), deletedBy: session.userId },
        { action: 'deleted', summary: `删除了客户「${current.name}」（可在回收站恢复）` },
      ),
  })

/** 分类调整 */
export const setCategory = (session: Session, id: string, category: CustomerRecord['category']) =>
  editRecord(Customers, session, id, {
    may: mayChange(session, '只有负责人或其上级可以调整分类'),
    change: (current) =>
      changeCustomer(
        session,
        current,
        { category },
        { action: 'category_changed', summary: `将客户「${current.name}」分类调整为 ${category}` },
      ),
  })

/** 协助跟进人 */
export const setCollaborators = (session: Session, id: string, collaboratorIds: string[]) =>
  editRecord(Customers, session, id, {
    may: (current) => {
      if (inPool(current)) throw unprocessable('customer.in_pool', '公海客户不能设置协助跟进人')
      mayChange(session, '只有负责人或其上级可以设置协助跟进人')(current)
    },
    change: (current) =>
      changeCustomer(
        session,
        current,
        { collaboratorIds: [...new Set(collaboratorIds)].filter((c) => c !== current.ownerId) },
        { action: 'collaborators_changed', summary: `设置了客户「${current.name}」的协助跟进人` },
      ),
  })
