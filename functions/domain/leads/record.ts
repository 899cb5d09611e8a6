import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type * as z from 'zod'
import {
  type ConvertInput,
  type DuplicateHint,
  Lead,
  type LeadFilter,
  type LeadInput,
  Phone,
} from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { conflict, forbidden, unprocessable } from '../../core/errors.js'
import { defineCollection, type StoredRecord } from '../../db/collection.js'
import { commit, type Write } from '../../db/commit.js'
import {
  counterDeltas,
  counterWrite,
  CounterEntity,
  countOf,
  isCountItem,
  SHARDS,
} from '../../db/counters.js'
import { decodeCursor } from '../../db/cursor.js'
import { entryDiff } from '../../db/entries.js'
import { LeadEntity } from '../../db/entities/lifecycle.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import { readPage } from '../../db/pages.js'
import {
  binned,
  changed,
  editRecord,
  newRecord,
  putWrite,
  replaceRecord,
  versionConflict,
} from '../../db/records.js'
import { table } from '../../db/table.js'
import { activityWrites, audienceOf, fieldChanges } from '../activity/activity.js'
import { type ContactRecord, contactWrites } from '../contacts/record.js'
import { createCustomerWrites, newCustomer } from '../customers/record.js'
import { heldPoolSettings } from '../customers/pool-settings.js'
import { outboxWrite } from '../notifications/outbox.js'
import { retryOnConflict } from '../../db/retry.js'
import { allow, canChange, canManage, canSee, resolveOwner } from '../scope/scope.js'
import { duplicateCandidates, loadRecords, searchEntries } from '../search/entries.js'

/**
 * 线索. A lead belongs to its assignee (gsi2 `T#t#LEAD#U#<assigneeId>`; unassigned ones are everyone's
 * to see, like the pool); its department is the assignee's. Its timeline is its own item collection.
 */
export type LeadRecord = StoredRecord & z.output<typeof Lead>

const scoped = (l: LeadRecord) => ({ ownerId: l.assigneeId, deptId: l.deptId })
const assigneePartition = (tenantId: string, assigneeId: string) =>
  tenantKey(tenantId, TAG.lead, 'U', assigneeId)
/** an assignee's open leads (new, following): gsi3, sparse, so closed ones never crowd a page out */
const openPartition = (tenantId: string, assigneeId: string) =>
  tenantKey(tenantId, TAG.lead, 'OPEN', assigneeId)
const OPEN_STATUSES = ['new', 'following']

/** A phone in the contact info, as digits, when it is one. */
const phoneOf = (contactInfo: string | undefined) => {
  const parsed = contactInfo ? Phone.safeParse(contactInfo) : undefined
  return parsed?.success ? parsed.data : undefined
}

/** Its creator sees a lead, and whoever sees its assignee's records. */
export const seesLead = (session: Session, lead: LeadRecord): boolean =>
  lead.createdBy === session.userId || canSee(session, scoped(lead))

export const Leads = defineCollection<LeadRecord>({
  name: 'lead',
  path: 'leads',
  tag: TAG.lead,
  entity: LeadEntity,
  schema: Lead,
  label: (l) => l.title,
  indexKeys: (l) =>
    l.assigneeId
      ? {
          gsi2pk: assigneePartition(l.tenantId, l.assigneeId),
          gsi2sk: l.id,
          ...(OPEN_STATUSES.includes(l.status) && {
            gsi3pk: openPartition(l.tenantId, l.assigneeId),
            gsi3sk: l.id,
          }),
        }
      : {},
  visible: (session, l) => seesLead(session, l),
  sideWrites: (before, after) => {
    const counters = (l: LeadRecord) =>
      l.deletedAt
        ? []
        : [
            { name: 'LEAD', listedIn: { index: 'gsi1' as const, pk: tenantKey(l.tenantId, TAG.lead) } },
            ...(l.assigneeId
              ? [
                  {
                    name: `LEAD#U#${l.assigneeId}`,
                    listedIn: { index: 'gsi2' as const, pk: assigneePartition(l.tenantId, l.assigneeId) },
                  },
                ]
              : []),
          ]
    const entries = (l: LeadRecord | undefined) =>
      !l || l.deletedAt
        ? []
        : searchEntries(l.tenantId, 'leads', {
            id: l.id,
            custom: l.custom as Record<string, unknown> | undefined,
            name: l.title,
            company: l.companyName,
            phones: [phoneOf(l.contactInfo)],
            ...scoped(l),
            createdBy: l.createdBy,
          })
    return [
      ...counterDeltas(counters, before, after).map((c) => counterWrite(after.tenantId, c)),
      ...entryDiff(entries(before), entries(after)),
    ]
  },
})

export const leadActivity = (
  session: Session,
  lead: LeadRecord,
  action: string,
  summary: string,
  changes?: { field: string; from?: unknown; to?: unknown; toName?: string }[],
): Write[] =>
  activityWrites(session, {
    timeline: { tag: TAG.lead, id: lead.id },
    audience: audienceOf(scoped(lead)),
    recordType: 'leads',
    recordId: lead.id,
    action,
    summary,
    changes,
  })

/** What an edit of a lead records in its 动态, field by field (跟进结果 and 跟进反馈信息 keep their history). */
const LEAD_FIELDS = [
  'title',
  'contactName',
  'contactInfo',
  'companyName',
  'source',
  'description',
  'status',
  'result',
  'feedback',
] as const

function editSummary(lead: LeadRecord, changed: string[]) {
  const named = { result: '跟进结果', feedback: '跟进反馈信息' } as Record<string, string>
  if (changed.length && changed.every((f) => named[f])) {
    const parts = changed.map((f) => `${named[f]}：${String(lead[f as 'result'] ?? '（清空）').slice(0, 60)}`)
    return `更新了线索「${lead.title}」的${parts.join('；')}`
  }
  return `修改了线索「${lead.title}」`
}

const assignedMessage = (session: Session, lead: LeadRecord): Write =>
  outboxWrite(session.tenantId, {
    kind: 'lead.assigned',
    userIds: [lead.assigneeId!],
    title: '你有一条新线索',
    markdown: `### 你有一条新线索\n${session.name} 把线索「${lead.title}」分配给了你${lead.companyName ? `\n\n公司：${lead.companyName}` : ''}`,
    link: { page: 'pages/lead/detail', query: { id: lead.id } },
    recordType: 'leads',
    recordId: lead.id,
  })

/**
 * Likely duplicates of a lead among leads and customers (same phone, same or containing company
 * name), with the owners: the record reads are one BatchGetItem.
 */
async function duplicateHints(session: Session, lead: LeadRecord): Promise<DuplicateHint[]> {
  const name = lead.companyName
  const phone = phoneOf(lead.contactInfo)
  if (!name && !phone) return []
  // Same company (normalized) or same phone: two Queries over leads and customers, one BatchGetItem.
  const candidates = (
    await duplicateCandidates(
      session.tenantId,
      { name, phone },
      { recordTypes: ['customers', 'leads'], contains: false },
    )
  ).filter((c) => c.recordId !== lead.id)
  const records = await loadRecords(
    session.tenantId,
    candidates.map((c) => ({ recordType: c.recordType, id: c.recordId })),
  )
  return candidates.flatMap((c) => {
    const record = records.get(`${c.recordType}#${c.recordId}`)
    if (!record) return []
    const ownerId = (record.ownerId ?? record.assigneeId) as string | undefined
    return [
      {
        collection: c.recordType as 'customers' | 'leads',
        id: c.recordId,
        name: c.name,
        ownerId: ownerId ?? null,
        reason: c.reason,
      },
    ]
  })
}

export async function createLead(session: Session, input: z.output<typeof LeadInput>) {
  // a member's lead is theirs: naming someone else is assigning, a manager's action (not a silent change)
  if (session.role === 'member' && input.assigneeId && input.assigneeId !== session.userId)
    throw forbidden('成员只能创建自己跟进的线索；分配给他人请由经理或管理员操作')
  const wanted = session.role === 'member' ? session.userId : input.assigneeId
  const assignee = wanted ? await resolveOwner(session, wanted) : undefined
  const lead = newRecord(session, {
    ...input,
    contactInfo: phoneOf(input.contactInfo) ?? input.contactInfo,
    assigneeId: assignee?.id,
    deptId: assignee?.deptId,
  }) as LeadRecord
  const hints = await duplicateHints(session, lead)
  await commit(
    [
      putWrite(Leads, lead, { attr: 'id', exists: false }, () => conflict('lead.duplicate', 'id 冲突')),
      ...Leads.sideWrites!(undefined, lead),
      ...leadActivity(session, lead, 'created', `创建了线索「${lead.title}」`),
      ...(assignee && assignee.id !== session.userId ? [assignedMessage(session, lead)] : []),
    ],
    { ...lead, duplicateHints: hints },
  )
  return { ...lead, duplicateHints: hints }
}

/** Who may work a lead (edit, convert, mark invalid, delete): its creator, or whoever may change its assignee's. */
const mayWork = (session: Session, lead: LeadRecord, forbidden: string) =>
  allow(canChange(session, scoped(lead)) || lead.createdBy === session.userId, forbidden)

export const updateLead = (
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof LeadInput>> & { version: number },
) =>
  editRecord(Leads, session, id, {
    version,
    may: (current) => mayWork(session, current, '无权修改该线索'),
    change: (current) => {
      if (current.status === 'converted')
        throw unprocessable('lead.already_converted', '线索已转为客户，不能再修改')
      const { assigneeId: _ignored, ...fields } = changes
      const next = changed(current, fields)
      if (fields.contactInfo !== undefined)
        next.contactInfo = phoneOf(fields.contactInfo) ?? fields.contactInfo
      const diff = fieldChanges(current, next, [...LEAD_FIELDS])
      return replaceRecord(Leads, current, next, [
        ...leadActivity(
          session,
          next,
          'updated',
          editSummary(
            next,
            diff.map((c) => c.field),
          ),
          diff,
        ),
      ])
    },
  })

export const removeLead = (session: Session, id: string) =>
  editRecord(Leads, session, id, {
    may: (current) => mayWork(session, current, '无权删除该线索'),
    change: (current) =>
      replaceRecord(
        Leads,
        current,
        binned(session, current),
        leadActivity(session, current, 'deleted', `删除了线索「${current.title}」（可在回收站恢复）`),
      ),
  })

/** (Re)assigns a lead; the assignee is told in DingTalk (an outbox message in the same transaction). */
export const assignLead = (session: Session, id: string, assigneeId: string) =>
  editRecord(Leads, session, id, {
    may: (current) => {
      allow(canManage(session, scoped(current)), '只有经理或管理员可以分配线索')
      if (current.status === 'converted') throw unprocessable('lead.already_converted', '线索已转为客户')
    },
    change: async (current) => {
      const assignee = await resolveOwner(session, assigneeId)
      const next = changed(current, {
        assigneeId: assignee.id,
        deptId: assignee.deptId,
        status: current.status === 'invalid' ? 'new' : current.status,
      })
      return replaceRecord(Leads, current, next, [
        ...leadActivity(session, next, 'assigned', `将线索「${next.title}」分配给 ${assignee.name}`, [
          { field: 'assigneeId', from: current.assigneeId ?? null, to: assignee.id, toName: assignee.name },
        ]),
        ...(assignee.id !== session.userId ? [assignedMessage(session, next)] : []),
      ])
    },
  })

/** 标记无效: needs a reason; a converted lead stays converted. */
export const markInvalid = (session: Session, id: string, reason: string) =>
  editRecord(Leads, session, id, {
    may: (current) => {
      mayWork(session, current, '无权处理该线索')
      if (current.status === 'converted')
        throw unprocessable('lead.already_converted', '线索已转为客户，不能标记无效')
    },
    change: (current) => {
      const next = changed(current, { status: 'invalid', result: reason })
      return replaceRecord(Leads, current, next, [
        ...leadActivity(session, next, 'invalidated', `将线索「${next.title}」标记为无效：${reason}`),
      ])
    },
  })

/**
 * 转为新客户: the customer (owned by the assignee), its first contact and the lead's new status, in
 * one transaction held on the lead's version — so of two converts exactly one happens; the other (or
 * a later one) answers 422 `lead.already_converted`.
 */
export function convertLead(session: Session, id: string, input: z.output<typeof ConvertInput>) {
  return retryOnConflict(() =>
    editRecord(Leads, session, id, {
      may: (lead) => {
        if (lead.status === 'converted') throw alreadyConverted()
        mayWork(session, lead, '无权转换该线索')
      },
      change: (lead) => commitConversion(session, lead, input),
    }),
  )
}

async function commitConversion(session: Session, lead: LeadRecord, input: z.output<typeof ConvertInput>) {
  const phone = phoneOf(lead.contactInfo)
  const [customer, rules] = await Promise.all([
    newCustomer(
      session,
      { name: lead.companyName ?? lead.title, source: lead.source, phone, ...input.customer },
      { ownerId: lead.assigneeId ?? session.userId },
    ),
    // the new customer's name may meet the unique-name rule
    heldPoolSettings(session.tenantId),
  ])
  const contact = newRecord(session, {
    customerId: customer.id,
    name: input.contact?.name ?? lead.contactName ?? lead.title,
    gender: 'unknown' as const,
    title: input.contact?.title,
    mobile: input.contact?.mobile ?? phone,
    isPrimary: true,
    deptId: session.deptIds[0],
  }) as ContactRecord
  customer.primaryContactId = contact.id
  const next = changed(lead, { status: 'converted', convertedCustomerId: customer.id })
  await commit(
    [
      putWrite(
        Leads,
        next,
        {
          and: [
            { attr: 'version', eq: lead.version },
            { attr: 'status', ne: 'converted' },
          ],
        },
        versionConflict,
      ),
      ...Leads.sideWrites!(lead, next),
      ...createCustomerWrites(
        session,
        customer,
        `由线索「${lead.title}」转为客户「${customer.name}」`,
        rules,
      ),
      ...contactWrites(session, contact, customer),
      ...leadActivity(session, next, 'converted', `将线索「${lead.title}」转为客户「${customer.name}」`),
    ],
    { customerId: customer.id, contactId: contact.id },
  )
  return { customerId: customer.id, contactId: contact.id }
}

const alreadyConverted = () => unprocessable('lead.already_converted', '该线索已转为客户，不能重复转换')

// ------------------------------------------------------------------------------------------ lists

export const leadFilter = (f: z.output<typeof LeadFilter>): Filter | undefined =>
  all(
    f.status && { attr: 'status', eq: f.status },
    f.open !== undefined &&
      (f.open ? { attr: 'status', in: OPEN_STATUSES } : { attr: 'status', in: ['converted', 'invalid'] }),
    f.q && {
      or: [
        { attr: 'title', contains: f.q },
        { attr: 'companyName', contains: f.q },
        { attr: 'contactName', contains: f.q },
      ],
    },
    f.createdFrom && { attr: 'createdAt', gte: new Date(`${f.createdFrom}T00:00:00+08:00`).toISOString() },
    f.createdTo && {
      attr: 'createdAt',
      lt: new Date(Date.parse(`${f.createdTo}T00:00:00+08:00`) + 86400000).toISOString(),
    },
  )

/**
 * One page of leads, one Query: a member's (or anyone's, `assigneeId`) on gsi2 — their open ones
 * (`open=true`) on gsi3, which holds only those —, else all on gsi1 — for a manager filtered to their
 * departments, their own and the unassigned ones. A filter that leaves the page short reads on (`readPage`).
 */
export async function listLeads(session: Session, filter: z.output<typeof LeadFilter>) {
  const t = session.tenantId
  const assigneeId = filter.assigneeId ?? (session.role === 'member' ? session.userId : undefined)
  if (session.role === 'member' && assigneeId !== session.userId)
    return { items: [], nextCursor: null, total: 0 }
  const plan =
    assigneeId && filter.open
      ? { index: 'gsi3' as const, pk: openPartition(t, assigneeId) }
      : assigneeId
        ? { index: 'gsi2' as const, pk: assigneePartition(t, assigneeId) }
        : { index: 'gsi1' as const, pk: tenantKey(t, TAG.lead) }
  const scope =
    session.role === 'manager' && assigneeId !== session.userId
      ? {
          or: [
            { attr: 'deptId', in: session.scopeDeptIds.length ? session.scopeDeptIds : ['-'] },
            { attr: 'assigneeId', exists: false },
            { attr: 'createdBy', eq: session.userId },
          ],
        }
      : undefined
  const condition = all(scope, leadFilter(filter))
  const firstPage = !filter.cursor
  const params = table
    .build(QueryCommand)
    .entities(LeadEntity, CounterEntity)
    .query({ index: plan.index, partition: plan.pk })
    .options({
      limit: filter.limit + (firstPage ? SHARDS : 0),
      reverse: true,
      exclusiveStartKey: decodeCursor(filter.cursor, t),
      ...(condition && { filters: { leads: condition } }),
    })
    .params()
  const isCounter = (i: Record<string, unknown>) => isCountItem(i, `${plan.index}sk`)
  const { items, nextCursor } = await readPage(params, { limit: filter.limit, extra: isCounter })
  const count = countOf(items, `${plan.index}sk`)
  return {
    items: items.filter((i) => !isCounter(i)) as LeadRecord[],
    nextCursor,
    total: firstPage && !condition ? (count ?? 0) : null,
  }
}
