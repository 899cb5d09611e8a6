import { any } from 'dynamodb-toolbox/schema/any'
import { list } from 'dynamodb-toolbox/schema/list'
import { map } from 'dynamodb-toolbox/schema/map'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'

/** Key tags: the third part of every record key (`T#<tenantId>#<TAG>#<id>`). */
export const TAG = {
  product: 'PRD',
  competitor: 'CMP',
  user: 'USR',
  dept: 'DPT',
  idempotency: 'IDEM',
  outbox: 'OUT',
  todo: 'TODO',
  robot: 'ROBOT',
  lead: 'LEAD',
  customer: 'CUS',
  contact: 'CON',
  followUp: 'FUP',
  counter: 'CNT',
  search: 'SRCH',
  reminder: 'REM',
  tenant: 'TENANT',
  setting: 'SET',
  opportunity: 'OPP',
  contract: 'CTR',
  contractNumber: 'CTRNO',
  paymentPlan: 'PLN',
  payment: 'PAY',
  invoice: 'INV',
  target: 'TGT',
  bin: 'BIN',
  importJob: 'IMP',
  approval: 'APR',
} as const

export const tenantKey = (tenantId: string, ...parts: string[]) => ['T', tenantId, ...parts].join('#')

/**
 * Attributes every business record stores besides its own fields: the record meta of the API, the
 * recycle-bin marks, and the generic index keys (filled from the record by `indexKeys`).
 */
export const recordAttributes = {
  tenantId: string().key(),
  id: string().key(),
  createdAt: string(),
  createdBy: string(),
  updatedAt: string(),
  version: number(),
  deletedAt: string().optional(),
  deletedBy: string().optional(),
  /** custom field values (`cf_<id>` → value, money in fen), checked against the tenant's definitions */
  custom: any().optional(),
  /** 附件: attachment ids (contracts, follow-ups, customers) */
  attachments: list(string()).optional(),
  gsi1pk: string().optional(),
  gsi1sk: string().optional(),
  gsi2pk: string().optional(),
  gsi2sk: string().optional(),
  gsi3pk: string().optional(),
  gsi3sk: string().optional(),
}

export const recordKey =
  (tag: string) =>
  ({ tenantId, id }: { tenantId: string; id: string }) => ({ pk: tenantKey(tenantId, tag, id), sk: '#' })

/**
 * What a record governed by an approval flow carries (contracts, payments, invoices, opportunities,
 * customers): the instance, its status and the flow's name. Pending: not editable, and no effect yet.
 */
export const approvalAttribute = map({
  id: string(),
  status: string().enum('pending', 'approved', 'rejected', 'withdrawn'),
  flowName: string(),
}).optional()
