import { QueryCommand as RawQueryCommand } from '@aws-sdk/lib-dynamodb'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type * as z from 'zod'
import type { MergeInput } from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import type { Session } from '../../core/context.js'
import { unprocessable } from '../../core/errors.js'
import { getDocumentClient } from '../../db/client.js'
import type { Collection, StoredRecord } from '../../db/collection.js'
import { commit, type Write } from '../../db/commit.js'
import { deleteEntry, type Entry, putEntry } from '../../db/entries.js'
import { EntryEntity } from '../../db/entities/lifecycle.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { getRecord, replaceRecord } from '../../db/records.js'
import { table } from '../../db/table.js'
import { Contacts } from '../contacts/record.js'
import { collections } from '../recycle-bin/collections.js'
import { Contracts } from '../contracts/record.js'
import type { EDITABLE } from './record.js'
import {
  childrenPartition,
  type CustomerRecord,
  customerActivity,
  Customers,
  customerWrites,
} from './record.js'
import { type ReminderRecord, Reminders } from '../reminders/record.js'
import { remindersOfRecord } from '../reminders/queries.js'
import { retryOnConflict } from '../../db/retry.js'
import { carryWrite } from '../approvals/instances.js'
import { isPending } from '../approvals/effect.js'
import { allow, canChange } from '../scope/scope.js'

/**
 * 客户合并. A customer with hundreds of children cannot merge in one transaction (≤ 100 items), so a
 * merge is a job that can stop anywhere and be run again with the same request:
 * 1. one transaction writes the job (`T#t#CUS#<target>`, `#MERGE#<sources>`) with the target's chosen
 *    fields — a rerun finds the job and skips this;
 * 2. each child (any collection that lists under the customer, gsi2 `T#t#CUS#<id>`: contacts,
 *    follow-ups, opportunities, contracts) moves in its own transaction, held on its version, with its
 *    collection's side writes (tab counts, `wonAmount`, open-opportunity counts follow); a contract's plans,
 *    payments and invoices take the target as their customer just before it; comments, likes and
 *    activity of the source move in batches (copy + delete in one transaction); reminders on the
 *    source point at the target. What has moved is no longer under the source, so a rerun moves only
 *    the rest — nothing lost, nothing doubled;
 * 3. each source goes to the recycle bin marked `mergedInto`, then the job is marked done.
 */
export async function mergeCustomers(
  session: Session,
  input: z.output<typeof MergeInput>,
  /** tests: stop after this many child moves, as a crash would */
  { stopAfter = Infinity } = {},
) {
  const budget = { left: stopAfter }
  const sourceIds = [...new Set(input.sourceIds)].filter((id) => id !== input.targetId).sort()
  if (sourceIds.length === 0) throw unprocessable('merge.no_sources', '请选择要合并进来的客户')
  const target = await getRecord(Customers, session, input.targetId)
  allow(canChange(session, target), '只有负责人或其上级可以合并客户')
  const jobKey = {
    pk: tenantKey(session.tenantId, TAG.customer, target.id),
    sk: `#MERGE#${sourceIds.join(',')}`,
  }
  const { Item: job } = await EntryEntity.build(GetItemCommand)
    .key(jobKey)
    .options({ consistent: true })
    .send()
  if (job?.status === 'done') {
    return { target, moved: 0, mergedIds: sourceIds }
  }

  const sources = new Map<string, CustomerRecord>()
  for (const id of sourceIds) {
    const source = await getRecord(Customers, session, id, { includeDeleted: !!job })
    allow(canChange(session, source), '只能合并自己或下属负责的客户')
    sources.set(id, source)
  }
  if (!job) await startJob(session, target, sources, input.fields, jobKey, input.custom)

  // the target as the job left it (its name may come from a source): the moved reminders name it
  const survivor = await getRecord(Customers, session, target.id)
  let moved = 0
  for (const id of sourceIds) {
    if (sources.get(id)!.deletedAt) continue
    moved += await moveChildren(session, id, target.id, budget)
    moved += await moveReminders(session, id, survivor, budget)
    moved += await moveEntries(session, id, target.id)
  }
  for (const id of sourceIds) await retireSource(session, id, target.id)
  await commit([
    putEntry({
      ...jobKey,
      tenantId: session.tenantId,
      kind: 'merge',
      sourceIds,
      status: 'done',
      at: nowIso(),
    }),
  ])
  return { target: await getRecord(Customers, session, target.id), moved, mergedIds: sourceIds }
}

/** Step 1: the target takes the chosen fields; the job is written with it, once. */
async function startJob(
  session: Session,
  target: CustomerRecord,
  sources: Map<string, CustomerRecord>,
  fields: Partial<Record<(typeof EDITABLE)[number], string>>,
  jobKey: { pk: string; sk: string },
  custom: Record<string, string> = {},
) {
  const chosen: Partial<CustomerRecord> = {}
  // the custom fields the merge takes from a source (the target's others stay)
  const values = { ...(target.custom as Record<string, unknown> | undefined) }
  for (const [key, from] of Object.entries(custom)) {
    const donor = from === target.id ? target : sources.get(from)
    if (!donor) throw unprocessable('merge.invalid_field', `字段 ${key} 只能取自参与合并的客户`)
    const value = (donor.custom as Record<string, unknown> | undefined)?.[key]
    if (value === undefined) delete values[key]
    else values[key] = value
  }
  if (Object.keys(custom).length) chosen.custom = values
  for (const [field, from] of Object.entries(fields) as [(typeof EDITABLE)[number], string][]) {
    const donor = from === target.id ? target : sources.get(from)
    if (!donor) throw unprocessable('merge.invalid_field', `字段 ${field} 只能取自参与合并的客户`)
    Object.assign(chosen, { [field]: donor[field] })
  }
  const primary =
    target.primaryContactId ?? [...sources.values()].find((s) => s.primaryContactId)?.primaryContactId
  // 审批: a source's pending approval goes with it into the target (one pending approval per customer)
  const pending = [target, ...sources.values()].filter(isPending)
  if (pending.length > 1) {
    throw unprocessable(
      'approval.pending',
      `${pending.map((c) => `「${c.name}」`).join('、')}都在审批中，请先处理审批再合并`,
    )
  }
  const carried = pending[0] && pending[0] !== target ? pending[0].approval : undefined
  const next: CustomerRecord = {
    ...target,
    ...chosen,
    ...(carried && { approval: carried }),
    primaryContactId: primary,
    updatedAt: nowIso(),
    version: target.version + 1,
  }
  const names = [...sources.values()].map((s) => `「${s.name}」`).join('、')
  await commit([
    ...customerWrites(target, next),
    {
      action: EntryEntity.build(PutTransaction)
        .item({
          ...jobKey,
          tenantId: session.tenantId,
          kind: 'merge',
          sourceIds: [...sources.keys()],
          fields,
          status: 'running',
          at: nowIso(),
        })
        .options({ condition: { attr: 'pk', exists: false } }),
      onConditionFail: () => unprocessable('merge.running', '该合并正在进行，请稍后重试'),
    },
    ...customerActivity(session, next, 'merged', `将客户${names}合并到「${next.name}」`),
    ...(carried
      ? [
          carryWrite(session.tenantId, carried.id, {
            customerId: next.id,
            recordId: next.id,
            recordName: next.name,
          }),
        ]
      : []),
  ])
}

/** A merge stopped on purpose (tests), as if the function had died there. */
export class MergeInterrupted extends Error {
  constructor() {
    super('merge interrupted')
  }
}

const INDEX = ['pk', 'sk', '_et', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk'] as const

/** Step 2a: every child listed under the source moves to the target, one transaction each. */
async function moveChildren(
  session: Session,
  sourceId: string,
  targetId: string,
  budget: { left: number },
): Promise<number> {
  let moved = 0
  for (let round = 0; round < 10_000; round++) {
    const children = await childrenUnder(childrenPartition(session.tenantId, sourceId), sourceId)
    if (children.length === 0) return moved
    for (const { collection, record } of children) {
      // a contract's plans, payments and invoices go first: a rerun that still finds the contract
      // under the source then finishes them
      if (collection === (Contracts as unknown)) {
        moved += await moveContractChildren(session, record.id, targetId, budget)
      }
      if (await moveTo(collection, record, targetId, budget)) moved += 1
    }
  }
  return moved
}

/**
 * A contract's plans, payments and invoices list under the contract, but name its customer too (whoever
 * sees the customer sees them): they follow it to the target. Their own side writes move nothing (the
 * amounts stay on the same contract).
 */
async function moveContractChildren(
  session: Session,
  contractId: string,
  targetId: string,
  budget: { left: number },
): Promise<number> {
  let moved = 0
  for (let round = 0; round < 10_000; round++) {
    const partition = tenantKey(session.tenantId, TAG.contract, contractId)
    const children = (await childrenUnder(partition)).filter(({ record }) => record.customerId !== targetId)
    if (children.length === 0) return moved
    for (const { collection, record } of children) {
      if (await moveTo(collection, record, targetId, budget)) moved += 1
    }
  }
  return moved
}

/** Records of any collection listed in a gsi2 partition (first 100), optionally only a customer's. */
async function childrenUnder(partition: string, customerId?: string) {
  const params = table
    .build(QueryCommand)
    .query({ index: 'gsi2', partition })
    .options({ limit: 100 })
    .params()
  const { Items = [] } = await getDocumentClient().send(new RawQueryCommand(params))
  return Items.filter(
    (item) => collections[item._et as string] && (!customerId || item.customerId === customerId),
  ).map((item) => ({
    collection: collections[item._et as string],
    record: Object.fromEntries(
      Object.entries(item).filter(([name]) => !(INDEX as readonly string[]).includes(name)),
    ) as StoredRecord,
  }))
}

/**
 * One record to the target customer, held on the version read, with its collection's side writes
 * (`replaceRecord`): tab counts follow, a contract takes its amount from the source's `wonAmount` to the
 * target's, an open opportunity its count. False when it changed meanwhile: the next round reads it again.
 */
async function moveTo(
  collection: Collection,
  record: StoredRecord,
  targetId: string,
  budget: { left: number },
): Promise<boolean> {
  const next: StoredRecord = {
    ...record,
    customerId: targetId,
    // the target keeps its own primary contact
    ...(collection === (Contacts as unknown) && { isPrimary: false }),
    updatedAt: nowIso(),
    version: record.version + 1,
  }
  if (budget.left-- <= 0) throw new MergeInterrupted()
  // a pending approval of the record follows it: its steps show in the target's 动态
  const approval = record.approval as { id: string; status: string } | undefined
  const carried =
    approval?.status === 'pending' ? [carryWrite(record.tenantId, approval.id, { customerId: targetId })] : []
  try {
    await replaceRecord(collection, record, next, carried)
    return true
  } catch (error) {
    // edited meanwhile (or the index lags behind a move)
    if ((error as { code?: string }).code !== 'version.conflict') throw error
    return false
  }
}

/**
 * Step 2b: the source's own reminders (gsi2 by record) point at the target from now on, pending ones
 * keep their schedule; a child's reminders name the child, which keeps its id. One transaction each,
 * held on the version read: one the scheduler fires meanwhile is read again next round. A moved
 * reminder leaves the source's index, so a rerun moves only the rest, each once.
 */
async function moveReminders(
  session: Session,
  sourceId: string,
  target: CustomerRecord,
  budget: { left: number },
): Promise<number> {
  let moved = 0
  for (let round = 0; round < 10_000; round++) {
    const reminders = await remindersOfRecord(session.tenantId, 'customer', sourceId)
    if (reminders.length === 0) return moved
    for (const reminder of reminders) {
      const next: ReminderRecord = {
        ...reminder,
        recordId: target.id,
        recordName: target.name,
        updatedAt: nowIso(),
        version: reminder.version + 1,
      }
      if (budget.left-- <= 0) throw new MergeInterrupted()
      try {
        await replaceRecord(Reminders, reminder, next)
        moved += 1
      } catch (error) {
        // fired or edited meanwhile: the next round reads it again
        if ((error as { code?: string }).code !== 'version.conflict') throw error
      }
    }
  }
  return moved
}

/** Step 2c: the source's own comments, likes and activity go to the target's item collection. */
async function moveEntries(session: Session, sourceId: string, targetId: string): Promise<number> {
  const sourcePk = tenantKey(session.tenantId, TAG.customer, sourceId)
  const targetPk = tenantKey(session.tenantId, TAG.customer, targetId)
  let moved = 0
  for (;;) {
    const params = table
      .build(QueryCommand)
      .entities(EntryEntity)
      // ACT#, CMT#, LIKE#: every sort key from 'A' on (the record and its clocks sort before, at '#')
      .query({ partition: sourcePk, range: { gte: 'A' } })
      .options({ limit: 40 })
      .params()
    const { Items = [] } = await getDocumentClient().send(new RawQueryCommand(params))
    if (Items.length === 0) return moved
    const writes: Write[] = Items.flatMap((item) => {
      const { _et: _ignored, ...entry } = item as Entry & { _et: string }
      return [putEntry({ ...entry, pk: targetPk }), deleteEntry({ pk: sourcePk, sk: entry.sk })]
    })
    await commit(writes)
    moved += Items.length
  }
}

/** Step 3: the source, now empty, goes to the recycle bin marked as merged (its counts go with it). */
function retireSource(session: Session, sourceId: string, targetId: string) {
  return retryOnConflict(async () => {
    const source = await getRecord(Customers, session, sourceId, { includeDeleted: true })
    if (source.deletedAt) return
    const at = nowIso()
    const next = {
      ...source,
      // its pending approval went to the target (startJob)
      ...(isPending(source) && { approval: undefined }),
      mergedInto: targetId,
      deletedAt: at,
      deletedBy: session.userId,
      updatedAt: at,
      version: source.version + 1,
    }
    await commit(customerWrites(source, next))
  })
}
