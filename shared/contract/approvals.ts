import {
  Approval,
  ApprovalDetail,
  ApprovalFilter,
  ApprovalSettings,
  ApprovalSettingsInput,
  ApproveInput,
  Contract,
  Customer,
  Invoice,
  Opportunity,
  Page,
  Payment,
  RejectInput,
  WithdrawInput,
} from '../schemas/index.js'
import { route } from './route.js'

/** 设置 → 审批流程: every flow in one versioned list (a stale `version` → 409). */
export const approvalSettings = {
  get: route({ method: 'GET', path: '/api/settings/approvals', response: ApprovalSettings }),
  put: route({
    method: 'PUT',
    path: '/api/settings/approvals',
    roles: ['admin'],
    body: ApprovalSettingsInput,
    response: ApprovalSettings,
  }),
}

/** 审批: 待我审批 / 我已审批 / 我发起的, one instance, and the decisions on it. */
export const approvals = {
  list: route({ method: 'GET', path: '/api/approvals', query: ApprovalFilter, response: Page(Approval) }),
  get: route({ method: 'GET', path: '/api/approvals/{id}', response: ApprovalDetail }),
  approve: route({
    method: 'POST',
    path: '/api/approvals/{id}/approve',
    body: ApproveInput,
    status: 200,
    response: Approval,
  }),
  reject: route({
    method: 'POST',
    path: '/api/approvals/{id}/reject',
    body: RejectInput,
    status: 200,
    response: Approval,
  }),
  withdraw: route({
    method: 'POST',
    path: '/api/approvals/{id}/withdraw',
    body: WithdrawInput,
    status: 200,
    response: Approval,
  }),
}

/** 重新提交: a rejected or withdrawn record through its flow again (a new instance) → the record. */
const submit = <
  const Path extends string,
  R extends typeof Contract | typeof Payment | typeof Invoice | typeof Opportunity | typeof Customer,
>(
  path: Path,
  record: R,
) => route({ method: 'POST', path: `/api/${path}/{id}/submit`, status: 200, response: record })

export const submissions = {
  contracts: submit('contracts', Contract),
  payments: submit('payments', Payment),
  invoices: submit('invoices', Invoice),
  opportunities: submit('opportunities', Opportunity),
  customers: submit('customers', Customer),
}
