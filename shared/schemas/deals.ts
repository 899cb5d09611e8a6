import * as z from 'zod'
import {
  AttachmentIds,
  CustomValues,
  DateOnly,
  Id,
  ListQuery,
  Money,
  MoneySum,
  QueryBoolean,
  RecordMeta,
  SignedMoney,
  Timestamp,
} from './common.js'
import { RecordApproval } from './approvals.js'

/**
 * 商机 / 合同 / 回款计划 / 回款 / 发票 / 销售目标 / 报表 (API.md "Deals and money", "Targets and reports").
 * Money is yuan on the wire and integer fen inside (`Money`); inputs are what clients send (strict: an
 * unknown field is a 400), records add RecordMeta and the fields the server keeps (owner's department,
 * derived amounts).
 */

const Text = (max: number) => z.string().trim().max(max)

/** An optional link: `null` or left out on the wire, absent inside (and left out on the way out). */
const OptionalId = z.codec(Id.nullable().optional(), Id.optional(), {
  decode: (id) => id ?? undefined,
  encode: (id) => id ?? null,
})

// ---------------------------------------------------------------- 销售阶段
export const StageKind = z.enum(['open', 'won', 'lost'])
export type StageKind = z.infer<typeof StageKind>
export const Stage = z.object({
  /** stable: renaming or reordering keeps it, so opportunities and their history keep pointing at it */
  id: Id,
  name: Text(20).min(1, '请填写阶段名称'),
  probability: z.int().min(0).max(100),
  order: z.int().min(0).max(1000),
  kind: StageKind,
})
export type Stage = z.infer<typeof Stage>
/** A stage as an admin sends it: a new one has no id yet. */
export const StageInput = Stage.extend({ id: Id.optional() }).strict()
export const StagesInput = z.array(StageInput).min(3).max(20)
export const Stages = z.array(Stage)

/** 商机/回款规则 besides the stages. */
export const DealSettings = z.object({
  /** accept payments beyond the contract amount */
  allowOverpayment: z.boolean().default(false),
})
export type DealSettings = z.infer<typeof DealSettings>
/** As read: with the settings' `version` (0 for the defaults), which a save sends back. */
export const DealSettingsRecord = DealSettings.extend({ version: z.int().min(0) })
export type DealSettingsRecord = z.infer<typeof DealSettingsRecord>
/** A save: a stale `version` (someone saved since) → 409 `version.conflict`. */
export const DealSettingsInput = DealSettingsRecord.strict()

// ---------------------------------------------------------------- 产品明细
/** lines of one opportunity or contract */
export const MAX_LINES = 10
const hundredths = (n: number) => /^\d+(\.\d{1,2})?$/.test(String(n))
/**
 * 产品明细 as a client sends it: the product, how many (up to two decimals), the unit price (the
 * product's list price when left out) and the discount in percent (0–100, up to two decimals).
 */
export const LineInput = z.strictObject({
  productId: Id,
  quantity: z.number().positive('数量须大于 0').max(1e8).refine(hundredths, '数量最多两位小数'),
  unitPrice: Money.optional(),
  discount: z.number().min(0).max(100).refine(hundredths, '折扣最多两位小数').default(0),
})
export type LineInput = z.output<typeof LineInput>
/** A line as kept: the price it was sold at, the product's name then, and its amount (derived, to the fen). */
export const Line = LineInput.extend({ unitPrice: Money, productName: z.string(), amount: Money })
export type Line = z.output<typeof Line>
/**
 * A line's amount in fen, exact: unit price × quantity × (100 − discount)%, rounded half up. The quantity
 * and the discount have at most two decimals, so in hundredths they are integers and the product is one
 * BigInt division (the server derives every amount with it; the forms show the same figure).
 */
export function lineAmount(unitPrice: number, quantity: number, discount: number): number {
  const quantity100 = BigInt(Math.round(quantity * 100))
  const kept10000 = BigInt(10_000 - Math.round(discount * 100))
  // BigInt(…) rather than 2n literals: the mini-program's es2017 target cannot parse those
  const two = BigInt(2)
  const scale = BigInt(100 * 10_000)
  return Number((two * BigInt(unitPrice) * quantity100 * kept10000 + scale) / (two * scale))
}
const LinesInput = z.array(LineInput).max(MAX_LINES, `产品明细最多 ${MAX_LINES} 种产品`)

// ---------------------------------------------------------------- 商机
export const Importance = z.enum(['high', 'medium', 'low'])
export const OpportunityInput = z.strictObject({
  name: Text(100).min(1, '请填写商机名称'),
  customerId: Id,
  /** managers and admins may name the owner; a member's opportunity is theirs */
  ownerId: Id.optional(),
  importance: Importance.default('medium'),
  /** the first open stage when left out */
  stageId: Id.optional(),
  amount: Money.default(0),
  expectedCloseDate: DateOnly.optional(),
  competitorIds: z.array(Id).max(20).default([]),
  productIds: z.array(Id).max(50).default([]),
  /** 产品明细: when present, `amount` is their sum */
  lines: LinesInput.optional(),
  remark: Text(2000).optional(),
  custom: CustomValues.optional(),
})
/** What a PATCH may change: the stage moves only through `/stage` (so each move is recorded). */
export const OpportunityUpdate = OpportunityInput.omit({ customerId: true, stageId: true })
export const Opportunity = RecordMeta.extend({
  ...OpportunityInput.shape,
  lines: z.array(Line).optional(),
  ownerId: Id,
  deptId: OptionalId,
  stageId: Id,
  lostReason: z.string().optional(),
  /** set when the opportunity is won (tenant day) */
  closeDate: DateOnly.optional(),
  stageChangedAt: Timestamp,
  /** 审批: while pending the record may not be edited (422 `approval.pending`) */
  approval: RecordApproval.optional(),
})
export type Opportunity = z.infer<typeof Opportunity>
export const OpportunityFilter = ListQuery.extend({
  stageId: Id.optional(),
  customerId: Id.optional(),
  ownerId: Id.optional(),
  importance: Importance.optional(),
  expectedCloseFrom: DateOnly.optional(),
  expectedCloseTo: DateOnly.optional(),
  q: Text(50).min(1).optional(),
})
export const StageMoveInput = z.strictObject({
  stageId: Id,
  note: Text(500).optional(),
  /** required when moving to a lost stage (unless the opportunity already has one) */
  lostReason: Text(500).min(1).optional(),
})
/** One stay in a stage: entered by a move (or the creation), left by the next move. */
export const StageStay = z.object({
  stageId: Id,
  name: z.string(),
  fromStageId: Id.nullable(),
  note: z.string().nullable(),
  movedBy: Id,
  enteredAt: Timestamp,
  leftAt: Timestamp.nullable(),
  /** time spent in the stage so far (until now for the current one) */
  durationSeconds: z.int().min(0),
})
export const StageHistory = z.object({ items: z.array(StageStay) })

/** 商机推进: the stage moves across the opportunities the caller may see, newest first. */
export const StageMoveFilter = ListQuery.extend({
  /** moves into this stage */
  stageId: Id.optional(),
  /** the opportunity's owner (负责人) */
  ownerId: Id.optional(),
  /** tenant days, both included */
  from: DateOnly.optional(),
  to: DateOnly.optional(),
})
export const StageMove = z.object({
  id: Id,
  opportunityId: Id,
  opportunityName: z.string(),
  customerId: Id.optional(),
  stageId: Id,
  stageName: z.string(),
  fromStageId: Id.nullable(),
  fromStageName: z.string().nullable(),
  note: z.string().nullable(),
  ownerId: Id.optional(),
  ownerName: z.string().optional(),
  movedBy: Id,
  movedByName: z.string(),
  at: Timestamp,
})

// ---------------------------------------------------------------- 合同
export const ContractType = z.enum(['product', 'service'])
export const ContractInput = z.strictObject({
  number: Text(50).min(1, '请填写合同编号'),
  name: Text(100).min(1, '请填写合同名称'),
  customerId: Id,
  opportunityId: OptionalId.optional(),
  type: ContractType.default('product'),
  /** required unless `lines` give it */
  amount: Money.optional(),
  signedAt: DateOnly,
  startDate: DateOnly.optional(),
  endDate: DateOnly.optional(),
  ownerId: Id.optional(),
  /** 产品明细: when present, `amount` is their sum */
  lines: LinesInput.optional(),
  remark: Text(2000).optional(),
  attachments: AttachmentIds.optional(),
  custom: CustomValues.optional(),
})
export const ContractUpdate = ContractInput.omit({ customerId: true })
export const Contract = RecordMeta.extend({
  ...ContractInput.shape,
  amount: Money,
  lines: z.array(Line).optional(),
  opportunityId: OptionalId,
  ownerId: Id,
  deptId: OptionalId,
  /** 已回款 */
  receivedAmount: Money,
  /** 已开票 */
  invoicedAmount: Money,
  /** 未回款 = amount − received (below zero only when overpayment is allowed) */
  outstandingAmount: SignedMoney,
  /** 计划回款 */
  plannedAmount: Money,
  /** 审批: the contract counts (reports, wonAmount) only once approved */
  approval: RecordApproval.optional(),
})
export type Contract = z.infer<typeof Contract>
export const ContractFilter = ListQuery.extend({
  customerId: Id.optional(),
  /** the contracts signed from this opportunity (all of them, to whoever sees the opportunity) */
  opportunityId: Id.optional(),
  ownerId: Id.optional(),
  type: ContractType.optional(),
  signedFrom: DateOnly.optional(),
  signedTo: DateOnly.optional(),
  q: Text(50).min(1).optional(),
})

// ---------------------------------------------------------------- 回款计划
export const PaymentPlanInput = z.strictObject({
  contractId: Id,
  dueDate: DateOnly,
  amount: Money,
  remark: Text(500).optional(),
  custom: CustomValues.optional(),
})
export const PaymentPlanUpdate = PaymentPlanInput.omit({ contractId: true })
export const PaymentPlan = RecordMeta.extend({
  ...PaymentPlanInput.shape,
  customerId: Id,
  ownerId: Id,
  deptId: OptionalId,
  receivedAmount: Money,
  unpaidAmount: Money,
  /** unpaid after its due date (tenant day) */
  overdue: z.boolean(),
})
export type PaymentPlan = z.infer<typeof PaymentPlan>
export const PaymentPlanFilter = ListQuery.extend({
  contractId: Id.optional(),
  /** part of the remark */
  q: Text(50).min(1).optional(),
  ownerId: Id.optional(),
  dueFrom: DateOnly.optional(),
  dueTo: DateOnly.optional(),
  /** true: due before today (tenant day) and not fully paid, as the plans' `overdue`; false: the others */
  overdue: QueryBoolean.optional(),
})

// ---------------------------------------------------------------- 回款
export const PaymentMethod = z.enum(['cash', 'check', 'transfer', 'other'])
export const PaymentInput = z.strictObject({
  contractId: Id,
  planId: OptionalId.optional(),
  receivedAt: DateOnly,
  method: PaymentMethod.default('transfer'),
  amount: Money.refine((fen) => fen > 0, '回款金额须大于 0'),
  ownerId: Id.optional(),
  remark: Text(500).optional(),
  custom: CustomValues.optional(),
})
export const PaymentUpdate = PaymentInput.omit({ contractId: true })
export const Payment = RecordMeta.extend({
  ...PaymentInput.shape,
  planId: OptionalId,
  customerId: Id,
  ownerId: Id,
  deptId: OptionalId,
  /** 审批: the payment moves its contract's amounts only once approved */
  approval: RecordApproval.optional(),
})
export type Payment = z.infer<typeof Payment>
export const PaymentFilter = ListQuery.extend({
  contractId: Id.optional(),
  /** the customer's payments (all of them, to whoever sees the customer) */
  customerId: Id.optional(),
  /** part of the remark */
  q: Text(50).min(1).optional(),
  ownerId: Id.optional(),
  method: PaymentMethod.optional(),
  receivedFrom: DateOnly.optional(),
  receivedTo: DateOnly.optional(),
})

// ---------------------------------------------------------------- 发票
export const InvoiceType = z.enum(['vat_special', 'vat_normal'])
export const InvoiceInput = z.strictObject({
  contractId: Id,
  title: Text(100).min(1, '请填写发票抬头'),
  number: Text(50).optional(),
  type: InvoiceType.default('vat_normal'),
  amount: Money.refine((fen) => fen > 0, '开票金额须大于 0'),
  issuedAt: DateOnly,
  remark: Text(500).optional(),
  custom: CustomValues.optional(),
})
export const InvoiceUpdate = InvoiceInput.omit({ contractId: true })
export const Invoice = RecordMeta.extend({
  ...InvoiceInput.shape,
  customerId: Id,
  ownerId: Id,
  deptId: OptionalId,
  /** 审批: the invoice moves its contract's amounts only once approved */
  approval: RecordApproval.optional(),
})
export type Invoice = z.infer<typeof Invoice>
export const InvoiceFilter = ListQuery.extend({
  contractId: Id.optional(),
  /** part of the 发票抬头 or the invoice number */
  q: Text(50).min(1).optional(),
  ownerId: Id.optional(),
  type: InvoiceType.optional(),
  issuedFrom: DateOnly.optional(),
  issuedTo: DateOnly.optional(),
})

// ---------------------------------------------------------------- 销售目标
export const TargetScope = z.enum(['dept', 'user'])
export const TargetMetric = z.enum(['contractAmount', 'paymentAmount'])
export type TargetMetric = z.infer<typeof TargetMetric>
export const Year = z.coerce.number().int().min(2000).max(2100)
export const TargetInput = z.strictObject({
  scope: TargetScope,
  subjectId: Id,
  metric: TargetMetric,
  year: z.int().min(2000).max(2100),
  months: z.array(Money).length(12, '请填写 12 个月的目标'),
})
export const TargetUpdate = TargetInput.pick({ months: true })
export const Target = RecordMeta.extend({
  ...TargetInput.shape,
  /** the department's or person's name when the target was set */
  name: z.string(),
  yearTotal: MoneySum,
})
export type Target = z.infer<typeof Target>
export const TargetFilter = ListQuery.extend({
  /** part of the department's or person's name */
  q: Text(50).min(1).optional(),
  year: Year.optional(),
  metric: TargetMetric.optional(),
  scope: TargetScope.optional(),
  subjectId: Id.optional(),
})

// ---------------------------------------------------------------- 报表
/** `team` = everything in the caller's data scope; `self` = only what the caller owns. */
export const ReportScope = z.enum(['team', 'self'])
const Range = z
  .strictObject({ from: DateOnly.optional(), to: DateOnly.optional() })
  .refine((r) => !r.from || !r.to || r.from <= r.to, { message: '开始日期不能晚于结束日期', path: ['from'] })
// (zod 4 intersects strict objects as one: a key is unknown only when neither side declares it)
export const BriefingQuery = Range.and(z.strictObject({ scope: ReportScope.default('team') }))
export const Briefing = z.object({
  from: DateOnly,
  to: DateOnly,
  newCustomers: z.int(),
  followUps: z.int(),
  newOpportunities: z.int(),
  wonOpportunities: z.int(),
  contractAmount: MoneySum,
  paymentAmount: MoneySum,
})
export type Briefing = z.infer<typeof Briefing>

/** a rate in percent with two decimals (null when there is no target) */
const Rate = z.number().nullable()
export const TargetsReportQuery = z.strictObject({
  year: Year,
  metric: TargetMetric.default('contractAmount'),
  scope: TargetScope.optional(),
})
export const TargetsReport = z.object({
  year: z.int(),
  metric: TargetMetric,
  rows: z.array(
    z.object({
      scope: TargetScope,
      subjectId: Id,
      name: z.string(),
      yearTarget: MoneySum,
      yearActual: MoneySum,
      rate: Rate,
      months: z.array(z.object({ month: z.int(), target: MoneySum, actual: MoneySum, rate: Rate })),
    }),
  ),
})
export type TargetsReport = z.infer<typeof TargetsReport>

export const PerformanceQuery = Range.and(
  z.strictObject({ groupBy: z.enum(['user', 'dept']).default('user') }),
)
export const Performance = z.object({
  from: DateOnly,
  to: DateOnly,
  groupBy: z.enum(['user', 'dept']),
  rows: z.array(
    z.object({
      id: Id,
      name: z.string(),
      contractAmount: MoneySum,
      paymentAmount: MoneySum,
      newCustomers: z.int(),
      followUps: z.int(),
      wonOpportunities: z.int(),
    }),
  ),
})
export type Performance = z.infer<typeof Performance>

export const PaymentsReportQuery = z.strictObject({ year: Year })
export const PaymentsReport = z.object({
  year: z.int(),
  months: z.array(z.object({ month: z.int(), planned: MoneySum, received: MoneySum, overdue: MoneySum })),
})
export type PaymentsReport = z.infer<typeof PaymentsReport>

export const FunnelQuery = Range
export const Funnel = z.object({
  from: DateOnly,
  to: DateOnly,
  stages: z.array(
    z.object({
      stageId: Id,
      name: z.string(),
      kind: StageKind,
      probability: z.int(),
      count: z.int(),
      amount: MoneySum,
      weightedAmount: MoneySum,
      /** percent of the range's opportunities that reached this stage or a later one (null if none) */
      conversion: Rate,
      /** 平均停留时长: the mean time opportunities spent in this stage, over the stays that ended in the range (null if none) */
      averageSeconds: z.int().nullable(),
    }),
  ),
})
export type Funnel = z.infer<typeof Funnel>

/** 产品销售: per product and month, the amount and quantity of the contracts signed (their 产品明细). */
export const ProductsReportQuery = z.strictObject({ year: Year })
export const ProductsReport = z.object({
  year: z.int(),
  rows: z.array(
    z.object({
      productId: Id,
      name: z.string(),
      amount: MoneySum,
      quantity: z.number(),
      months: z.array(z.object({ month: z.int(), amount: MoneySum, quantity: z.number() })),
    }),
  ),
})
export type ProductsReport = z.infer<typeof ProductsReport>
