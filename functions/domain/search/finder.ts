import type * as z from 'zod'
import type { Duplicates, SearchResult } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { type LeadRecord, seesLead } from '../leads/record.js'
import { canSee, type Scoped } from '../scope/scope.js'
import { duplicateCandidates, loadRecords, type Searchable, searchRecords } from './entries.js'

/**
 * 全文检索 over customers, contacts and leads: one bigram partition (or the phone's), then one
 * BatchGetItem of the hits (and contacts' customers) to keep only what the caller may see.
 */
export async function search(
  session: Session,
  { q, limit }: { q: string; limit: number },
): Promise<z.output<typeof SearchResult>> {
  const hits = await searchRecords(session.tenantId, q, { limit: limit * 2 })
  const records = await loadRecords(session.tenantId, [
    ...hits.map((h) => ({ recordType: h.recordType, id: h.recordId })),
    ...hits.filter((h) => h.customerId).map((h) => ({ recordType: 'customers' as const, id: h.customerId! })),
  ])
  const sees = (type: Searchable, id: string): boolean => {
    const record = records.get(`${type}#${id}`)
    if (!record) return false
    if (type === 'customers') return canSee(session, record as Scoped)
    if (type === 'leads') return seesLead(session, record as LeadRecord)
    return record.createdBy === session.userId || sees('customers', record.customerId as string)
  }
  return {
    items: hits
      .filter((h) => sees(h.recordType, h.recordId))
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
