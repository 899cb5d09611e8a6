import * as z from 'zod'
import { Id } from './common.js'
import { AssignInput, CategoryInput, LeadAssignInput, ReleaseInput } from './lifecycle.js'

/**
 * 批量操作 (API.md "Bulk actions"): a bulk body is its single route's body plus `ids` (at most
 * `BULK_MAX`; one sent twice is done once); the answer lists what was done and what failed, with the error each
 * failed record's single route would have answered.
 */
export const BULK_MAX = 200

export const BulkIds = z
  .array(Id)
  .min(1, '请至少选择一条记录')
  .max(BULK_MAX, `一次最多处理 ${BULK_MAX} 条记录`)

export const BulkInput = z.strictObject({ ids: BulkIds })
// each: the single route's body with the records it applies to
export const BulkAssignInput = AssignInput.extend(BulkInput.shape)
export const BulkLeadAssignInput = LeadAssignInput.extend(BulkInput.shape)
export const BulkReleaseInput = ReleaseInput.extend(BulkInput.shape)
export const BulkCategoryInput = CategoryInput.extend(BulkInput.shape)

export const BulkFailure = z.object({ id: Id, code: z.string(), message: z.string() })
export type BulkFailure = z.infer<typeof BulkFailure>
export const BulkResult = z.object({ done: z.array(Id), failed: z.array(BulkFailure) })
export type BulkResult = z.infer<typeof BulkResult>
