import type { RecordApproval } from '../../../shared/schemas/index.js'

/**
 * Whether a record has taken effect: governed by no approval, or approved. A pending, rejected or
 * withdrawn one counts nowhere (reports, `wonAmount`, a contract's received / invoiced amounts) until
 * a resubmission is approved. The collections' side writes ask this, so the approving transaction is
 * the one that moves the counters and amounts.
 */
export const inEffect = (record: { approval?: RecordApproval | { status: string } } | undefined): boolean =>
  !record?.approval || record.approval.status === 'approved'

/** 审批中 */
export const isPending = (record: { approval?: { status: string } }): boolean =>
  record.approval?.status === 'pending'
