import type * as z from 'zod'
import type { Duplicates, SearchResult } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { canSee, type Scoped } from '../scope/scope.js'
import { duplicateCandidates, loadRecords, type SearchEntry, searchRecords } from './entries.js'

/**
 * 全文检索 over customers, contacts, leads, opportunities and contracts: one posting partition (the
 * name's first bigram's, or the number's first four digits'), whose entries say who may see each hit,
 * then one BatchGetItem of the hits (live ones only) and of the customers of contacts and deals the
 * caller does not see by their own fields.
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
  // the hits' records (an import that stopped between a row's entries and its record leaves entries of
  // no record: never answered), and the customers of contacts and deals not seen by their own fields
  const undecided = hits.filter((h) => !byOwnFields(h) && h.customerId)
  const records = await loadRecords(session.tenantId, [
    ...hits.map((h) => ({ recordType: h.recordType, id: h.recordId })),
    ...undecided.map((h) => ({ recordType: 'customers' as const, id: h.customerId! })),
  ])
  const customer = (id: string) => records.get(`customers#${id}`) as Scoped | undefined
  const sees = (h: SearchEntry) =>
    records.has(`${h.recordType}#${h.recordId}`) &&
    (byOwnFields(h) ||
      (h.recordType !== 'customers' &&
        h.recordType !== 'leads' &&
        !!h.customerId &&
        !!customer(h.customerId) &&
        canSee(session, customer(h.customerId)!)))
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
