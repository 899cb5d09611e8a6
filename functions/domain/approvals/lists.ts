import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet'
import { BatchGetCommand, execute } from 'dynamodb-toolbox/table/actions/batchGet'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import * as z from 'zod'
import type { Approval, ApprovalDetail, ApprovalFilter, Page } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { decodeCursor } from '../../db/cursor.js'
import { ApprovalBoxEntity, ApprovalEntity } from '../../db/entities/approvals.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all } from '../../db/filter.js'
import { readPage } from '../../db/pages.js'
import { table } from '../../db/table.js'
import { governed, readGoverned } from './decisions.js'
import { approvalNotFound, boxPartition, type Instance, readInstance } from './instances.js'

/** The instance as the API shows it. */
export const toApproval = ({
  tenantId: _t,
  on: _o,
  customerId: _c,
  updatedAt: _u,
  ...instance
}: Instance): Approval => ({
  ...instance,
  decidedAt: instance.decidedAt ?? null,
})

type Filter = z.output<typeof ApprovalFilter>

/** Instances by id, in the order given (one BatchGetItem: a page holds at most 200). */
async function instances(tenantId: string, ids: string[]): Promise<Instance[]> {
  if (!ids.length) return []
  const found = new Map<string, Instance>()
  for (let i = 0; i < ids.length; i += 100) {
    const chunk = ids.slice(i, i + 100)
    const command = table
      .build(BatchGetCommand)
      .requests(...chunk.map((id) => ApprovalEntity.build(BatchGetRequest).key({ tenantId, id })))
    const { Responses } = await execute({ maxAttempts: 5 }, command)
    for (const item of (Responses?.[0] ?? []) as (Instance | undefined)[]) if (item) found.set(item.id, item)
  }
  return ids.flatMap((id) => found.get(id) ?? [])
}

/**
 * 我发起的: the caller's instances (gsi2 `T#t#APR#MINE#<me>`), one Query, filters on the instances.
 * 待我审批 / 我已审批: the caller's box entries (gsi2 `T#t#APR#TODO#<me>` / `…#DONE#<me>`, newest first;
 * `collection` filters the entries), one Query, then the instances (one BatchGetItem). An entry of
 * 待我审批 exists only while its step waits for the caller, so the page costs the same at 10 or 10 000
 * pending instances in the tenant; 我已审批's `status` is the instance's now, checked after the read
 * (a page may come back short, with a cursor).
 */
export async function listApprovals(session: Session, query: Filter): Promise<Page<Approval>> {
  const { box, status, collection, limit, cursor } = query
  const exclusiveStartKey = decodeCursor(cursor, session.tenantId)
  if (box === 'mine') {
    const params = table
      .build(QueryCommand)
      .entities(ApprovalEntity)
      .query({ index: 'gsi2', partition: tenantKey(session.tenantId, TAG.approval, 'MINE', session.userId) })
      .options({
        limit,
        reverse: true,
        exclusiveStartKey,
        filters: {
          approvals: all(
            status && { attr: 'status', eq: status },
            collection && { attr: 'collection', eq: collection },
          ),
        },
      })
      .params()
    const page = await readPage(params, { limit })
    return { items: (page.items as unknown as Instance[]).map(toApproval), nextCursor: page.nextCursor }
  }
  if (box === 'todo' && status && status !== 'pending') return { items: [], nextCursor: null }
  const params = table
    .build(QueryCommand)
    .entities(ApprovalBoxEntity)
    .query({
      index: 'gsi2',
      partition: boxPartition(session.tenantId, box === 'todo' ? 'TODO' : 'DONE', session.userId),
    })
    .options({
      limit,
      reverse: true,
      exclusiveStartKey,
      filters: { approvalBoxes: all(collection && { attr: 'collection', eq: collection }) },
    })
    .params()
  const page = await readPage(params, { limit })
  const read = await instances(
    session.tenantId,
    (page.items as { approvalId: string }[]).map((e) => e.approvalId),
  )
  const items = read.filter((i) => !status || i.status === status)
  return { items: items.map(toApproval), nextCursor: page.nextCursor }
}

/**
 * One instance with the record it governs. Its submitter, the approvers of any of its steps and admins
 * read it, and whoever may see the record; an approver reads the record through it even outside their
 * own data scope (read-only: nothing else of that customer opens to them). Anyone else: 404.
 */
export async function getApproval(session: Session, id: string): Promise<ApprovalDetail> {
  const instance = await readInstance(session.tenantId, id)
  if (!instance) throw approvalNotFound()
  const record = await readGoverned(instance)
  const collection = governed[instance.collection]
  const involved =
    session.role === 'admin' ||
    instance.submitterId === session.userId ||
    instance.steps.some((s) => s.approverIds.includes(session.userId))
  const sees = involved || (record && !record.deletedAt && (await collection.visible?.(session, record)))
  if (!sees) throw approvalNotFound()
  return {
    ...toApproval(instance),
    record: record ? (z.encode(collection.schema, record) as Record<string, unknown>) : null,
  }
}
