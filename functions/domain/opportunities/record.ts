import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { ulid } from 'ulid'
import type * as z from 'zod'
import {
  Opportunity,
  type OpportunityFilter,
  type OpportunityInput,
  type OpportunityUpdate,
  type StageMoveFilter,
  type StageMoveInput,
} from '../../../shared/schemas/index.js'
import { now, nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { unprocessable } from '../../core/errors.js'
import { defineCollection, type StoredRecord } from '../../db/collection.js'
import { gate } from '../approvals/submission.js'
import type { Write } from '../../db/commit.js'
import { OpportunityEntity, StageMoveEntity } from '../../db/entities/deals.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import { decodeCursor } from '../../db/cursor.js'
import { readPage } from '../../db/pages.js'
import { directoryNames } from '../directory/names.js'
import { changed, editRecord, getRecord, insertRecord, newRecord, replaceRecord } from '../../db/records.js'
import { table } from '../../db/table.js'
import { activeStage, activeStages, heldDealSettings } from '../deals/settings.js'
import {
  customerCounterWrites,
  dateRange,
  ensureChangeable,
  listScoped,
  ownerFor,
  ownerIndex,
  readCustomer,
  removeDeal,
  seesDeal,
  visibleCustomer,
} from '../deals/records.js'
import { linesChange } from '../catalog/lines.js'
import { wonClockWrites } from '../customers/record.js'
import { retryOnConflict } from '../../db/retry.js'
import { dealSearchEntries } from '../search/entries.js'
import { type Entry, entryDiff } from '../../db/entries.js'
import { EntryEntity } from '../../db/entities/lifecycle.js'
import {
  type Contribution,
  contributionCounts,
  statWrites,
  tenantDay,
  today,
} from '../stats/contributions.js'
import { counterWrite } from '../../db/counters.js'
import { dealActivity } from '../deals/activity.js'

/** 商机 and 商机推进. */
export type OpportunityRecord = StoredRecord & z.output<typeof Opportunity> & { deptId?: string }

/** New opportunities count on their creation day by current stage (the funnel); won ones on their close date. */
export const opportunityContributions = (o: OpportunityRecord): Contribution[] => {
  const base = { day: tenantDay(o.createdAt), ownerId: o.ownerId, deptId: o.deptId }
  return [
    { ...base, metric: 'newOpportunities', value: 1 },
    { ...base, metric: `stageCount:${o.stageId}`, value: 1 },
    { ...base, metric: `stageAmount:${o.stageId}`, value: o.amount },
    ...(o.closeDate
      ? [
          {
            metric: 'wonOpportunities' as const,
            day: o.closeDate,
            value: 1,
            ownerId: o.ownerId,
            deptId: o.deptId,
          },
        ]
      : []),
  ]
}

/**
 * 进行中: in an open stage. The record says so without the stage settings: a won stage sets the close
 * date and a lost one needs a reason (moveStage), and leaving either clears it.
 */
export const isOpenOpportunity = (o: OpportunityRecord | undefined): o is OpportunityRecord =>
  !!o && !o.deletedAt && !o.closeDate && !o.lostReason

/**
 * The customer's count of open opportunities (the pool's exemption from auto-recycling reads it), moved
 * with ADD in the opportunity's own transaction; version +1, so a customer write that read the count
 * before fails instead of putting back a stale one.
 */
function openCountWrites(before: OpportunityRecord | undefined, after: OpportunityRecord): Write[] {
  const deltas = new Map<string, number>()
  if (isOpenOpportunity(before)) deltas.set(before.customerId, -1)
  if (isOpenOpportunity(after)) deltas.set(after.customerId, (deltas.get(after.customerId) ?? 0) + 1)
  // moved into a won stage: a won deal restarts the customer's "no won deal" clock (moveStage moves
  // the clock's index entry in the same transaction); a restore of a won opportunity is not a new deal
  const won = wonNow(before, after) ? { customerId: after.customerId, at: after.stageChangedAt } : undefined
  return customerCounterWrites(after.tenantId, 'openOpportunities', deltas, won, '商机')
}

const wonNow = (before: OpportunityRecord | undefined, after: OpportunityRecord) =>
  !!before && !before.deletedAt && !before.closeDate && !after.deletedAt && !!after.closeDate

const searchEntriesOf = (r: OpportunityRecord | undefined) => dealSearchEntries('opportunities', r)

export const Opportunities = defineCollection<OpportunityRecord>({
  name: 'opportunity',
  path: 'opportunities',
  tag: TAG.opportunity,
  entity: OpportunityEntity,
  schema: Opportunity,
  label: (o) => o.name,
  visible: seesDeal,
  indexKeys: (o) => ({
    gsi2pk: tenantKey(o.tenantId, TAG.customer, o.customerId),
    gsi2sk: `OPP#${o.id}`,
    ...ownerIndex(TAG.opportunity, o),
  }),
  sideWrites: (before, after) => [
    ...statWrites(opportunityContributions, before, after),
    ...openCountWrites(before, after),
    ...entryDiff(searchEntriesOf(before), searchEntriesOf(after)),
  ],
})

export const movesPartition = (tenantId: string, ...parts: string[]) => tenantKey(tenantId, 'STAGE', ...parts)

/**
 * A stage move, kept in the opportunity's item collection (its history) and listed for 商机推进 across
 * opportunities by the scope it is seen in: all (gsi1 `T#t#STAGE`), the owner's department (gsi2
 * `T#t#STAGE#D#<deptId>`), the owner (gsi3 `T#t#STAGE#U#<ownerId>`), newest first by `<at>#<id>`.
 */
function moveAttributes(session: Session, o: OpportunityRecord, fromStageId?: string, note?: string) {
  const id = ulid()
  const sk = `${o.stageChangedAt}#${id}`
  return {
    tenantId: o.tenantId,
    opportunityId: o.id,
    at: o.stageChangedAt,
    id,
    fromStageId,
    stageId: o.stageId,
    note,
    by: session.userId,
    byName: session.name,
    opportunityName: o.name,
    customerId: o.customerId,
    ownerId: o.ownerId,
    deptId: o.deptId,
    gsi1pk: movesPartition(o.tenantId),
    gsi1sk: sk,
    ...(o.deptId && { gsi2pk: movesPartition(o.tenantId, 'D', o.deptId), gsi2sk: sk }),
    gsi3pk: movesPartition(o.tenantId, 'U', o.ownerId),
    gsi3sk: sk,
  }
}

const moveWrite = (session: Session, o: OpportunityRecord, fromStageId?: string, note?: string): Write => ({
  action: StageMoveEntity.build(PutTransaction).item(moveAttributes(session, o, fromStageId, note)),
})

/**
 * A new opportunity's first stage (it entered it when created) is not an item of its own: it rides on
 * the entry of its creation on its customer's timeline, whose index keys are free — in the 商机推进
 * lists like any move (`stageMoveItems` reads both), and its history begins with it (`stageHistory`
 * reads it off the opportunity when no kept move is a first one).
 */
const firstMoveCarried = (session: Session, o: OpportunityRecord): Partial<Entry> => {
  const { tenantId: _t, ...move } = moveAttributes(session, o)
  return move
}

/** The entities a stage move is kept as: a move, or (a first one) the customer's timeline entry. */
export const STAGE_MOVE_ENTITIES = [StageMoveEntity, EntryEntity] as const

/**
 * 平均停留时长 in the funnel: a move ends a stay in the stage it leaves; its length and one more stay
 * count on the day it ended, for the owner (report counters `stageSeconds:<stage>`, `stageExits:<stage>`).
 * The rebuild (stats/rebuild.ts) counts the same from the moves kept.
 */
export const stayContributions = (
  stay: { stageId: string; enteredAt: string; ownerId?: string; deptId?: string },
  leftAt: string,
): Contribution[] => {
  const seconds = Math.max(0, Math.floor((Date.parse(leftAt) - Date.parse(stay.enteredAt)) / 1000))
  const base = { day: tenantDay(leftAt), ownerId: stay.ownerId, deptId: stay.deptId }
  return [
    { ...base, metric: `stageSeconds:${stay.stageId}`, value: seconds },
    { ...base, metric: `stageExits:${stay.stageId}`, value: 1 },
  ]
}

const stayWrites = (o: OpportunityRecord, leftAt: string): Write[] =>
  [...contributionCounts(stayContributions({ ...o, enteredAt: o.stageChangedAt }, leftAt))].map(
    ([name, delta]) => counterWrite(o.tenantId, { name, delta }),
  )

export async function createOpportunity(session: Session, input: z.output<typeof OpportunityInput>) {
  const [customer, settings] = await Promise.all([
    visibleCustomer(session, input.customerId),
    heldDealSettings(session.tenantId),
  ])
  const stage = input.stageId ? activeStage(settings, input.stageId) : activeStages(settings)[0]
  if (stage.kind !== 'open') throw unprocessable('opportunity.stage_invalid', '新建商机须处于进行中的阶段')
  const [owner, priced] = await Promise.all([ownerFor(session, input.ownerId), linesChange(session, input)])
  const record = newRecord(session, {
    ...input,
    ...priced,
    customerId: customer.id,
    stageId: stage.id,
    ownerId: owner.id,
    deptId: owner.deptId,
    stageChangedAt: '',
  }) as OpportunityRecord
  record.stageChangedAt = record.createdAt
  const gated = await gate(session, 'opportunities', 'create', record, record.name)
  return insertRecord(Opportunities, gated.record, [
    ...dealActivity(session, Opportunities, undefined, record, {
      customer,
      customerEntryCarries: firstMoveCarried(session, gated.record),
    }),
    ...gated.writes,
  ])
}

export const updateOpportunity = (
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof OpportunityUpdate>> & { version: number },
) =>
  editRecord(Opportunities, session, id, {
    version,
    may: (current) => ensureChangeable(session, current),
    change: async (current) => {
      const [owner, priced] = await Promise.all([
        ownerFor(session, changes.ownerId, { id: current.ownerId, deptId: current.deptId }),
        linesChange(session, changes, current),
      ])
      const next = changed(current, {
        ...withoutLines(changes),
        ...priced,
        ownerId: owner.id,
        deptId: owner.deptId,
      })
      const gated = await gate(session, 'opportunities', 'update', next, next.name)
      return replaceRecord(Opportunities, current, gated.record, [
        ...dealActivity(session, Opportunities, current, next),
        ...gated.writes,
      ])
    },
  })

/** the fields sent besides the lines (those are priced: `linesChange`) */
const withoutLines = <T extends { lines?: unknown }>({ lines: _lines, ...rest }: T) => rest

export const removeOpportunity = (session: Session, id: string) => removeDeal(Opportunities, session, id)

/**
 * 商机推进: moves the opportunity and records the move (who, when, note) in one transaction. A lost
 * stage needs a reason; a won one sets the close date to today; leaving won clears it.
 */
export function moveStage(session: Session, id: string, input: z.output<typeof StageMoveInput>) {
  // a release landing between the read and the write of a won move moves the won clock away: read again
  return retryOnConflict(() => moveStageOnce(session, id, input))
}

const moveStageOnce = (session: Session, id: string, input: z.output<typeof StageMoveInput>) =>
  editRecord(Opportunities, session, id, {
    alongside: () => heldDealSettings(session.tenantId),
    may: (current) => ensureChangeable(session, current),
    change: async (current, { alongside: settings }) => {
      const stage = activeStage(settings, input.stageId)
      if (stage.id === current.stageId) throw unprocessable('opportunity.same_stage', '商机已处于该阶段')
      const lostReason = stage.kind === 'lost' ? (input.lostReason ?? current.lostReason) : undefined
      if (stage.kind === 'lost' && !lostReason) {
        throw unprocessable('opportunity.lost_reason_required', '输单须填写输单原因')
      }
      const next = changed(current, {
        stageId: stage.id,
        stageChangedAt: nowIso(),
        lostReason,
        closeDate: stage.kind === 'won' ? today() : undefined,
      })
      next.stageChangedAt = next.updatedAt
      const wonClock = wonNow(current, next)
        ? wonClockWrites(await readCustomer(session, current.customerId), next.stageChangedAt)
        : []
      const from = settings.stages.find((s) => s.id === current.stageId)
      return replaceRecord(Opportunities, current, next, [
        moveWrite(session, next, current.stageId, input.note),
        ...stayWrites(current, next.stageChangedAt),
        ...wonClock,
        ...dealActivity(session, Opportunities, current, next, {
          action: 'stage_changed',
          summary: `将商机「${next.name}」从「${from?.name ?? current.stageId}」推进到「${stage.name}」${input.note ? `：${input.note}` : ''}`,
          changes: [
            {
              field: 'stageId',
              from: current.stageId,
              to: stage.id,
              fromName: from?.name,
              toName: stage.name,
            },
          ],
        }),
      ])
    },
  })

/** The stage history, oldest first, with the time spent in each stage (one Query on the item collection). */
export async function stageHistory(session: Session, id: string) {
  const [opportunity, settings] = await Promise.all([
    getOpportunity(session, id),
    heldDealSettings(session.tenantId),
  ])
  const { Items: kept = [] } = await table
    .build(QueryCommand)
    .entities(StageMoveEntity)
    .query({
      partition: tenantKey(session.tenantId, TAG.opportunity, opportunity.id),
      range: { beginsWith: 'STAGE#' },
    })
    .send()
  // the first stage rides on the customer's timeline (`firstMoveCarried`): it is the one the first kept
  // move left, or the current one, entered when the opportunity was created
  const Items: { stageId: string; fromStageId?: string; note?: string; by: string; at: string }[] =
    kept[0] && !kept[0].fromStageId
      ? kept
      : [
          {
            stageId: kept[0]?.fromStageId ?? opportunity.stageId,
            by: opportunity.createdBy,
            at: opportunity.createdAt,
          },
          ...kept,
        ]
  const names = new Map(settings.stages.map((s) => [s.id, s.name]))
  const at = now()
  return {
    items: Items.map((move, i) => {
      const leftAt = Items[i + 1]?.at ?? null
      return {
        stageId: move.stageId,
        name: names.get(move.stageId) ?? move.stageId,
        fromStageId: move.fromStageId ?? null,
        note: move.note ?? null,
        movedBy: move.by,
        enteredAt: move.at,
        leftAt,
        durationSeconds: Math.max(
          0,
          Math.floor(((leftAt ? Date.parse(leftAt) : at) - Date.parse(move.at)) / 1000),
        ),
      }
    }),
  }
}

export async function listOpportunities(session: Session, query: z.output<typeof OpportunityFilter>) {
  const filter = all(
    query.stageId && { attr: 'stageId', eq: query.stageId },
    query.importance && { attr: 'importance', eq: query.importance },
    query.q && { attr: 'name', contains: query.q },
    dateRange('expectedCloseDate', query.expectedCloseFrom, query.expectedCloseTo),
  )
  if (query.customerId) await visibleCustomer(session, query.customerId)
  return listScoped(Opportunities, session, query, {
    filter,
    parent: query.customerId
      ? { partition: tenantKey(session.tenantId, TAG.customer, query.customerId), prefix: 'OPP#' }
      : undefined,
  })
}

export const getOpportunity = (session: Session, id: string) => getRecord(Opportunities, session, id)

/**
 * 商机推进: the stage moves across the opportunities the caller may see, newest first, one Query a page:
 * an owner's (`ownerId`, and a member's own) on gsi3, a manager's department on gsi2 (several
 * departments: the tenant's moves filtered to them), everything (admins) on gsi1. Dates are a key range;
 * the stage a filter (`readPage` reads on when it leaves the page short).
 */
export async function listStageMoves(session: Session, query: z.output<typeof StageMoveFilter>) {
  const t = session.tenantId
  const { limit, cursor, ownerId, stageId } = query
  const member = session.role === 'member'
  if (member && ownerId && ownerId !== session.userId) return { items: [], nextCursor: null }
  const scope = session.scopeDeptIds
  const managerScope = session.role === 'manager' && {
    or: [
      { attr: 'ownerId', eq: session.userId },
      ...(scope.length ? [{ attr: 'deptId', in: scope.slice(0, 99) }] : []),
    ],
  }
  const [index, partition, scopeFilter] = (
    member || ownerId
      ? ['gsi3', movesPartition(t, 'U', ownerId ?? session.userId), managerScope]
      : session.role === 'admin'
        ? ['gsi1', movesPartition(t), undefined]
        : scope.length === 1
          ? ['gsi2', movesPartition(t, 'D', scope[0]), undefined]
          : ['gsi1', movesPartition(t), managerScope]
  ) as ['gsi1' | 'gsi2' | 'gsi3', string, Filter | undefined]
  const start = query.from && new Date(`${query.from}T00:00:00+08:00`).toISOString()
  const end = query.to && `${new Date(`${query.to}T23:59:59.999+08:00`).toISOString()}~`
  const range =
    start && end ? { between: [start, end] } : start ? { gte: start } : end ? { lte: end } : undefined
  const filter = all(stageId && { attr: 'stageId', eq: stageId }, scopeFilter)
  const params = table
    .build(QueryCommand)
    .entities(...STAGE_MOVE_ENTITIES)
    .query({ index, partition, ...(range && { range }) } as never)
    .options({
      limit,
      reverse: true,
      exclusiveStartKey: decodeCursor(cursor, t),
      ...(filter
        ? { filters: Object.fromEntries(STAGE_MOVE_ENTITIES.map((e) => [e.entityName, filter])) }
        : {}),
    } as never)
    .params()
  const [{ items, nextCursor }, settings] = await Promise.all([
    readPage(params, { limit }),
    heldDealSettings(t),
  ])
  const moves = items as unknown as StageMoveItem[]
  const owners = await directoryNames(t, {
    userIds: moves.flatMap((m) => (m.ownerId && m.ownerId !== m.by ? [m.ownerId] : [])),
  })
  const stageName = new Map(settings.stages.map((s) => [s.id, s.name]))
  return {
    items: moves.map((m) => ({
      id: m.id,
      opportunityId: m.opportunityId,
      opportunityName: m.opportunityName ?? m.opportunityId,
      customerId: m.customerId,
      stageId: m.stageId,
      stageName: stageName.get(m.stageId) ?? m.stageId,
      fromStageId: m.fromStageId ?? null,
      fromStageName: m.fromStageId ? (stageName.get(m.fromStageId) ?? m.fromStageId) : null,
      note: m.note ?? null,
      ownerId: m.ownerId,
      ownerName: m.ownerId && (m.ownerId === m.by ? m.byName : owners.users.get(m.ownerId)),
      movedBy: m.by,
      movedByName: m.byName ?? m.by,
      at: m.at,
    })),
    nextCursor,
  }
}

interface StageMoveItem {
  id: string
  opportunityId: string
  opportunityName?: string
  customerId?: string
  stageId: string
  fromStageId?: string
  note?: string
  ownerId?: string
  by: string
  byName?: string
  at: string
}
