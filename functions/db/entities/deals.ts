import { Entity } from 'dynamodb-toolbox/entity'
import { boolean } from 'dynamodb-toolbox/schema/boolean'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { map } from 'dynamodb-toolbox/schema/map'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { table } from '../table.js'
import { approvalAttribute, recordAttributes, recordKey, tenantKey, TAG } from './record.js'

/**
 * 商机 / 合同 / 回款计划 / 回款 / 发票 / 销售目标. Money in fen. Every record carries its owner and the
 * owner's primary department (`deptId`): the data scope and the report counters read them.
 *
 * Indexes (see functions/db/README.md):
 * - gsi2 `T#t#CUS#<customerId>` → `OPP#<id>` / `CTR#<id>`: the customer's tabs, next to its contacts
 * - gsi2 `T#t#CTR#<contractId>` → `PLN#<dueDate>#<id>` / `PAY#<id>` / `INV#<id>`: the contract's tabs
 * - gsi3 `T#t#<TAG>#U#<ownerId>` → id: a person's own records, newest first
 */
/** 产品明细 of an opportunity or a contract (prices and amounts in fen, derived by the server) */
const lines = () =>
  list(
    map({
      productId: string(),
      productName: string(),
      quantity: number(),
      unitPrice: number(),
      discount: number(),
      amount: number(),
    }),
  ).optional()

export const OpportunityEntity = new Entity({
  name: 'opportunities',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    name: string(),
    customerId: string(),
    ownerId: string(),
    deptId: string().optional(),
    importance: string().enum('high', 'medium', 'low'),
    stageId: string(),
    amount: number(),
    expectedCloseDate: string().optional(),
    competitorIds: list(string()),
    productIds: list(string()),
    lines: lines(),
    remark: string().optional(),
    lostReason: string().optional(),
    closeDate: string().optional(),
    stageChangedAt: string(),
    approval: approvalAttribute,
  }),
  computeKey: recordKey(TAG.opportunity),
})

/**
 * 商机推进: one item per stage move, in the opportunity's item collection (`T#t#OPP#<id>`,
 * `STAGE#<at>#<moveId>`), so the history with its durations is one Query.
 */
export const StageMoveEntity = new Entity({
  name: 'stageMoves',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    opportunityId: string().key(),
    at: string().key(),
    id: string().key(),
    fromStageId: string().optional(),
    stageId: string(),
    note: string().optional(),
    by: string(),
    /** for 商机推进 across opportunities (newest first, `<at>#<id>`): all (gsi1), a department (gsi2), an owner (gsi3) */
    byName: string().optional(),
    opportunityName: string().optional(),
    customerId: string().optional(),
    ownerId: string().optional(),
    deptId: string().optional(),
    gsi1pk: string().optional(),
    gsi1sk: string().optional(),
    gsi2pk: string().optional(),
    gsi2sk: string().optional(),
    gsi3pk: string().optional(),
    gsi3sk: string().optional(),
  }),
  computeKey: ({ tenantId, opportunityId, at, id }) => ({
    pk: tenantKey(tenantId, TAG.opportunity, opportunityId),
    sk: `STAGE#${at}#${id}`,
  }),
})

export const ContractEntity = new Entity({
  name: 'contracts',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    number: string(),
    name: string(),
    customerId: string(),
    opportunityId: string().optional(),
    type: string().enum('product', 'service'),
    amount: number(),
    signedAt: string(),
    startDate: string().optional(),
    endDate: string().optional(),
    ownerId: string(),
    deptId: string().optional(),
    lines: lines(),
    remark: string().optional(),
    /** kept by the payment / invoice / plan writes (ADD, same transaction, version +1) */
    receivedAmount: number(),
    invoicedAmount: number(),
    /** amount − received: a payment's condition `outstandingAmount >= :amount` refuses overpayment */
    outstandingAmount: number(),
    /** amount − invoiced, for the same guard on invoices */
    uninvoicedAmount: number(),
    plannedAmount: number(),
    /** live plans, payments and invoices: a contract with any cannot be deleted */
    childCount: number(),
    approval: approvalAttribute,
  }),
  computeKey: recordKey(TAG.contract),
})

export const PaymentPlanEntity = new Entity({
  name: 'payment-plans',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    contractId: string(),
    customerId: string(),
    ownerId: string(),
    deptId: string().optional(),
    dueDate: string(),
    amount: number(),
    remark: string().optional(),
    /** kept by the payments linked to the plan */
    receivedAmount: number(),
    unpaidAmount: number(),
  }),
  computeKey: recordKey(TAG.paymentPlan),
})

export const PaymentEntity = new Entity({
  name: 'payments',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    contractId: string(),
    customerId: string(),
    planId: string().optional(),
    /** the plan's due date, owner and department (a plan with payments keeps them) */
    planDueDate: string().optional(),
    planOwnerId: string().optional(),
    planDeptId: string().optional(),
    receivedAt: string(),
    method: string().enum('cash', 'check', 'transfer', 'other'),
    amount: number(),
    ownerId: string(),
    deptId: string().optional(),
    remark: string().optional(),
    /** recorded while the tenant allowed overpayment: a restore applies the same rule */
    allowOverpayment: boolean().optional(),
    approval: approvalAttribute,
  }),
  computeKey: recordKey(TAG.payment),
})

export const InvoiceEntity = new Entity({
  name: 'invoices',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    contractId: string(),
    customerId: string(),
    ownerId: string(),
    deptId: string().optional(),
    title: string(),
    number: string().optional(),
    type: string().enum('vat_special', 'vat_normal'),
    amount: number(),
    issuedAt: string(),
    remark: string().optional(),
    approval: approvalAttribute,
  }),
  computeKey: recordKey(TAG.invoice),
})

/** 销售目标. gsi2 `T#t#TGT#<year>#<metric>` → `<scope>#<subjectId>`: one year's targets, one Query. */
export const TargetEntity = new Entity({
  name: 'targets',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    scope: string().enum('dept', 'user'),
    subjectId: string(),
    metric: string().enum('contractAmount', 'paymentAmount'),
    year: number(),
    months: list(number()),
    yearTotal: number(),
    name: string(),
    /** the department itself, or the person's primary department: who may see the target */
    deptId: string().optional(),
  }),
  computeKey: recordKey(TAG.target),
})

const stage = map({
  id: string(),
  name: string(),
  probability: number(),
  order: number(),
  kind: string().enum('open', 'won', 'lost'),
  /** removed by an admin: hidden from the settings, kept so old opportunities and history resolve */
  archived: boolean().optional(),
})

/** 商机设置: the tenant's stages and deal rules, one item (`T#t#SET#deals`). */
export const DealSettingsEntity = new Entity({
  name: 'dealSettings',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    stages: list(stage),
    allowOverpayment: boolean(),
    updatedAt: string(),
    updatedBy: string(),
    version: number(),
  }),
  computeKey: ({ tenantId }: { tenantId: string }) => ({
    pk: tenantKey(tenantId, TAG.setting, 'deals'),
    sk: '#',
  }),
})
