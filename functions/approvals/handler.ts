import { approvals, approvalSettings } from '../../shared/contract/approvals.js'
import {
  decide,
  getApproval,
  listApprovals,
  putApprovalSettings,
  readApprovalSettings,
  toApproval,
  withdraw,
} from '../domain/approvals/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

/** 审批: the flows (设置 → 审批流程), the boxes, one instance, 同意 / 驳回 / 撤回. */
export const handler = apiFunction([
  serve(approvalSettings.get, ({ session }) => readApprovalSettings(session.tenantId)),
  serve(approvalSettings.put, ({ session, body }) => putApprovalSettings(session, body)),
  serve(approvals.list, ({ session, query }) => listApprovals(session, query)),
  serve(approvals.get, ({ session, params }) => getApproval(session, params.id)),
  serve(approvals.approve, async ({ session, params, body }) =>
    toApproval(await decide(session, params.id, 'approve', body.comment)),
  ),
  serve(approvals.reject, async ({ session, params, body }) =>
    toApproval(await decide(session, params.id, 'reject', body.comment)),
  ),
  serve(approvals.withdraw, async ({ session, params, body }) =>
    toApproval(await withdraw(session, params.id, body.comment)),
  ),
])
