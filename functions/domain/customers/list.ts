import type * as z from 'zod'
import { type CustomerFilter } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { decodeCursor } from '../../db/cursor.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all, type Filter } from '../../db/filter.js'
import { getRecords } from '../../db/records.js'
import { canSee } from '../scope/scope.js'
import {
  collaboratorPartition,
  Customers,
  type CustomerRecord,
  deptPartition,
  ownerPartition,
  poolPartition,
} from './record.js'
import { IN_POOL, phoneView } from './phones.js'
import { collaboratingCustomerIds, customerListPage } from './queries.js'
import { DAY_MS } from '../../core/days.js'

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
  const withCount = !filter.cursor && !range
  const [{ items, count, nextCursor }, poolView] = await Promise.all([
    customerListPage({
      index,
      partition: plan.pk,
      range,
      start: listCursor(filter.cursor, session.tenantId, plan.pk, `${plan.index}pk`, sortKey),
      limit: filter.limit,
      filter: condition,
      withCount,
    }),
    // the pool: its rules in parallel with the page
    pool ? phoneView(session, [IN_POOL]) : undefined,
  ])
  const view = poolView ?? (await phoneView(session, items))
  return {
    items: items.map((c) => view(c, c)),
    nextCursor,
    total: withCount && !condition ? (count ?? 0) : null,
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

/**
 * 我协助的客户, in either order of the customers list: one Query on the caller's collaborator links (gsi2
 * by creation, gsi3 by last follow-up), then the customers themselves (one BatchGetItem), so the page is
 * never stale.
 */
async function listCollaborating(session: Session, filter: z.output<typeof CustomerFilter>) {
  const index = filter.sort === 'lastFollowUpAt' ? 'gsi3' : 'gsi2'
  const partition = collaboratorPartition(session.tenantId, session.userId)
  const { ids, nextCursor } = await collaboratingCustomerIds(session, {
    index,
    start: listCursor(filter.cursor, session.tenantId, partition, `${index}pk`, `${index}sk`),
    limit: filter.limit,
  })
  const records = await getRecords(Customers, session.tenantId, ids)
  const items = ids.map((id) => records.get(id)).filter((c): c is CustomerRecord => !!c && canSee(session, c))
  return { items, nextCursor, total: null }
}
