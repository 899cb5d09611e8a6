import type * as z from 'zod'
import type { Duplicates, SearchResult } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { canSee, type Scoped } from '../scope/scope.js'
import { duplicateCandidates, loadRecords, type SearchEntry, searchRecords } from './entries.js'

/**
 * 全文检索 over customers, contacts, leads, opportunities and contracts: one posting partition (the
 * name's first bigram's, or the number's first four digits'), whose entries say who may see each hit;
 * only contacts and deals the caller does not see by their own fields need their customers (one
 * BatchGetItem of those).
 */
export async function search(
  session: Session,
  { q, limit }: { q: string; limit: number },
): Promise<z.output<typeof SearchResult>> {
  const hits = await searchRecords(session.tenantId, q, { limit: limit * 2 })
  const byOwnFields = (h: SearchEntry): boolean => {
    if (h.recordType === 'customers') return canSee(session, h as Scoped)
    // a lead's assignee is its owner; contacts and deals are also seen through their customer
    return h.createdBy === session.userId || (h.recordType !== 'contacts' && canSee(session, h as Scoped))
  }
  const undecided = hits.filter((h) => !byOwnFields(h) && h.customerId)
  const customers = undecided.length
    ? await loadRecords(
        session.tenantId,
        undecided.map((h) => ({ recordType: 'customers' as const, id: h.customerId! })),
      )
    : new Map()
  const sees = (h: SearchEntry) =>
    byOwnFields(h) ||
    (h.recordType !== 'customers' &&
      h.recordType !== 'leads' &&
      !!h.customerId &&
      customers.has(`customers#${h.customerId}`) &&
      canSee(session, customers.get(`customers#${h.customerId}`) as Scoped))
  return {
    items: hits
      .filter(sees)
      .slice(0, limit)
      .map((h) => ({
        collection: h.recordType,
        id: h.recordId,
        name: h.name,
        customerId: h.customerId ?? null,
        reason: h.reason,
      })),
  }
}

/**
 * 客户查重: likely duplicates anywhere in the tenant — the pool and other owners' customers included —
 * showing only the name, the owner and why.
 */
export async function customerDuplicates(
  session: Session,
  query: { name?: string; phone?: string },
): Promise<z.output<typeof Duplicates>> {
  const candidates = await duplicateCandidates(session.tenantId, query)
  const records = await loadRecords(
    session.tenantId,
    candidates.map((c) => ({ recordType: 'customers', id: c.recordId })),
  )
  return {
    items: candidates
      .filter((c) => records.has(`customers#${c.recordId}`))
      .map((c) => ({
        id: c.recordId,
        name: c.name,
        ownerId: (records.get(`customers#${c.recordId}`)!.ownerId as string | undefined) ?? null,
        reason: c.reason,
      })),
  }
}
