import type { Entry } from '../../db/entries.js'
import {
  ContractUpdate,
  InvoiceUpdate,
  OpportunityUpdate,
  PaymentPlanUpdate,
  PaymentUpdate,
  TargetUpdate,
} from '../../../shared/schemas/index.js'
import { nounLabel } from '../../../shared/nouns.js'
import type { Session } from '../../core/context.js'
import type { Collection, StoredRecord } from '../../db/collection.js'
import type { Write } from '../../db/commit.js'
import { TAG } from '../../db/entities/record.js'
import { getRecord } from '../../db/records.js'
import {
  activityWrites,
  type Audience,
  audienceOf,
  customChanges,
  type Target,
  type TimelineOwner,
} from '../activity/activity.js'

/**
 * 动态 of the deal records (商机, 合同, 回款计划, 回款, 发票) and of 销售目标: what a write did, posted to
 * the record's own timeline and to the timelines above it — its contract's (plans, payments, invoices)
 * and its customer's — so a contract's 动态 shows its payments and invoices and a customer's all of it.
 */
export interface DealLike extends StoredRecord {
  ownerId?: string
  deptId?: string
  customerId?: string
  contractId?: string
}

/** The fields a PATCH may change: the ones a change lists old → new (money in yuan). */
const EDITABLE: Record<string, string[]> = {
  opportunities: Object.keys(OpportunityUpdate.shape),
  contracts: Object.keys(ContractUpdate.shape),
  'payment-plans': Object.keys(PaymentPlanUpdate.shape),
  payments: Object.keys(PaymentUpdate.shape),
  invoices: Object.keys(InvoiceUpdate.shape),
  targets: Object.keys(TargetUpdate.shape),
}
/** what a change does not list here: line items are listed as the amount they make; custom values by label */
const UNLISTED = new Set(['lines', 'custom', 'attachments'])
const MONEY = new Set(['amount', 'months'])

const yuan = (field: string, value: unknown) =>
  !MONEY.has(field) || value === undefined || value === null
    ? (value ?? null)
    : Array.isArray(value)
      ? value.map((fen) => Number(fen) / 100)
      : Number(value) / 100

export function dealChanges(path: string, before: DealLike, after: DealLike) {
  return [
    ...(EDITABLE[path] ?? [])
      .filter((f) => !UNLISTED.has(f) && JSON.stringify(before[f]) !== JSON.stringify(after[f]))
      .map((field) => ({ field, from: yuan(field, before[field]), to: yuan(field, after[field]) })),
    // custom values by their fields' labels, as every timeline shows them
    ...customChanges(before, after),
  ]
}

/** What the activity is about: the record's own timeline, its contract's and its customer's. */
export function dealTimelines(collection: Pick<Collection, 'tag'>, record: DealLike) {
  return {
    timeline: { tag: collection.tag, id: record.id } as TimelineOwner,
    alsoOn: [
      ...(record.contractId ? [{ tag: TAG.contract, id: record.contractId }] : []),
      ...(record.customerId ? [{ tag: TAG.customer, id: record.customerId }] : []),
    ],
  }
}

export interface DealContext {
  /** the parents the verb read anyway: their holders find the activity in their feed too */
  customer?: { ownerId?: string; collaboratorIds?: string[]; deptId?: string }
  contract?: { number: string; name: string; ownerId?: string; deptId?: string }
  /** who else finds it (a target's subject) */
  audience?: Audience
  /** what its entry on the customer's timeline carries besides it (`TimelineOwner.carries`) */
  customerEntryCarries?: Partial<Entry>
}

/**
 * The activity of a deal record's write: created, updated (with its field changes), deleted — or the
 * verb's own `action` and `summary` (a stage move).
 */
export function dealActivity<R extends DealLike>(
  session: Session,
  collection: Collection<R>,
  before: R | undefined,
  after: R,
  context: DealContext & {
    action?: string
    summary?: string
    changes?: { field: string; from?: unknown; to?: unknown; fromName?: string; toName?: string }[]
  } = {},
): Write[] {
  const noun = nounLabel(collection.path)
  // a record's label may start with its noun (the recycle bin's 「回款 2026-11-02 ¥300」): said once
  const label = collection.label(after)
  const what = `${noun}「${label.startsWith(`${noun} `) ? label.slice(noun.length + 1) : label}」`
  const under = context.contract ? `（合同「${context.contract.number} ${context.contract.name}」）` : ''
  const [action, summary] = context.action
    ? [context.action, context.summary ?? what]
    : !before
      ? ['created', `创建了${what}${under}`]
      : after.deletedAt && !before.deletedAt
        ? ['deleted', `删除了${what}${under}（可在回收站恢复）`]
        : ['updated', `修改了${what}${under}`]
  const changes =
    context.changes ?? (before && action === 'updated' ? dealChanges(collection.path, before, after) : [])
  const audience = context.audience ?? audienceOf(after, context.customer, context.contract)
  const { timeline, alsoOn } = dealTimelines(collection, after)
  return activityWrites(session, {
    timeline,
    alsoOn: alsoOn.map((owner) =>
      owner.tag === TAG.customer && context.customerEntryCarries
        ? { ...owner, carries: context.customerEntryCarries }
        : owner,
    ),
    audience,
    recordType: collection.path,
    recordId: after.id,
    action,
    summary,
    changes,
  })
}

/**
 * What 动态, 评论 and 赞 on a deal record (or a target) point at: the record through its scope (404
 * outside), its own timeline, and its contract's and customer's, which show its comments too.
 */
export async function dealTarget<R extends DealLike>(
  collection: Collection<R>,
  session: Session,
  id: string,
  audience: (record: R) => Audience = (record) => audienceOf(record),
): Promise<Target> {
  const record = await getRecord(collection, session, id)
  return {
    tag: collection.tag,
    recordType: collection.path,
    recordId: record.id,
    label: collection.label(record),
    ...dealTimelines(collection, record),
    audience: audience(record),
    canSee: async (s) => (await collection.visible?.(s, record)) ?? true,
  }
}
