import * as z from 'zod'
import { Id, ListQuery, Role, Timestamp } from './common.js'

/**
 * 审批流程 (API.md "Approval flows"): the flows an admin configures per record type, the approval
 * instances a write starts, and the `approval` a record carries while (and after) it is decided.
 */

/** The record types a flow may govern (URL names). */
export const ApprovalCollection = z.enum(['contracts', 'payments', 'invoices', 'opportunities', 'customers'])
export type ApprovalCollection = z.infer<typeof ApprovalCollection>

/**
 * The fields a condition may test, per record type: `money` (yuan on the wire, compared in fen; gte·lte·
 * eq·in), `text` (eq·in). A condition on any other field is a 400 naming it.
 */
export const conditionFields: Record<
  ApprovalCollection,
  Record<string, { label: string; kind: 'money' | 'text' }>
> = {
  contracts: {
    amount: { label: '合同金额', kind: 'money' },
    type: { label: '合同类型', kind: 'text' },
    ownerId: { label: '负责人', kind: 'text' },
    deptId: { label: '部门', kind: 'text' },
  },
  payments: {
    amount: { label: '回款金额', kind: 'money' },
    method: { label: '回款方式', kind: 'text' },
    ownerId: { label: '负责人', kind: 'text' },
  },
  invoices: {
    amount: { label: '开票金额', kind: 'money' },
    type: { label: '发票类型', kind: 'text' },
  },
  opportunities: {
    amount: { label: '商机金额', kind: 'money' },
    importance: { label: '重要程度', kind: 'text' },
    stageId: { label: '销售阶段', kind: 'text' },
  },
  customers: {
    category: { label: '客户分类', kind: 'text' },
    source: { label: '客户来源', kind: 'text' },
    industry: { label: '行业', kind: 'text' },
  },
}

export const ConditionOp = z.enum(['gte', 'lte', 'eq', 'in'])
const Scalar = z.union([z.number(), z.string().max(100)])
export const ApprovalCondition = z.strictObject({
  field: z.string().min(1).max(40),
  op: ConditionOp,
  value: z.union([Scalar, z.array(Scalar).min(1).max(50)]),
})
export type ApprovalCondition = z.infer<typeof ApprovalCondition>

/**
 * Who approves a step: `manager` the submitter's department leader (one level up for a leader),
 * `deptLeader` the leader of `deptId`, `users` the people named, `role` everyone with the role.
 */
export const ApproverType = z.enum(['manager', 'deptLeader', 'users', 'role'])
export const Approver = z.strictObject({
  type: ApproverType,
  userIds: z.array(Id).min(1).max(20).optional(),
  deptId: Id.optional(),
  role: Role.optional(),
})
export type Approver = z.infer<typeof Approver>

/** 或签 (`or`): the first decision decides the step; 会签 (`and`): every approver must approve. */
export const StepMode = z.enum(['or', 'and'])
export const FlowStep = z.strictObject({ approver: Approver, mode: StepMode.default('or') })

export const FlowOn = z.enum(['create', 'update'])
export const Flow = z.object({
  id: Id,
  name: z.string().trim().min(1, '请填写流程名称').max(50),
  collection: ApprovalCollection,
  on: FlowOn,
  condition: ApprovalCondition.optional(),
  steps: z.array(FlowStep).min(1, '至少需要一个审批步骤').max(10),
  enabled: z.boolean(),
})
export type Flow = z.infer<typeof Flow>
/** A flow as an admin saves it: a new one has no id yet. */
export const FlowInput = z.strictObject({
  ...Flow.shape,
  id: Id.optional(),
  enabled: z.boolean().default(true),
})
export type FlowInput = z.infer<typeof FlowInput>

/** Each step names whom its approver type needs; a condition names a field of its record type. */
function checkFlow(flow: FlowInput, ctx: z.core.$RefinementCtx, at: (string | number)[]) {
  flow.steps.forEach(({ approver }, i) => {
    const path = [...at, 'steps', i, 'approver']
    if (approver.type === 'users' && !approver.userIds?.length)
      ctx.addIssue({ code: 'custom', path: [...path, 'userIds'], message: '请选择审批人' })
    if (approver.type === 'deptLeader' && !approver.deptId)
      ctx.addIssue({ code: 'custom', path: [...path, 'deptId'], message: '请选择部门' })
    if (approver.type === 'role' && !approver.role)
      ctx.addIssue({ code: 'custom', path: [...path, 'role'], message: '请选择角色' })
  })
  const condition = flow.condition
  if (!condition) return
  const field = conditionFields[flow.collection][condition.field]
  const path = [...at, 'condition']
  if (!field) {
    ctx.addIssue({ code: 'custom', path: [...path, 'field'], message: `未知字段 ${condition.field}` })
    return
  }
  const values = Array.isArray(condition.value) ? condition.value : [condition.value]
  if ((condition.op === 'in') !== Array.isArray(condition.value))
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'value'],
      message: '「属于」需要一组值，其他比较需要一个值',
    })
  else if (field.kind === 'money' && values.some((v) => typeof v !== 'number'))
    ctx.addIssue({ code: 'custom', path: [...path, 'value'], message: '金额须为数字' })
  else if (field.kind === 'text' && (condition.op === 'gte' || condition.op === 'lte'))
    ctx.addIssue({ code: 'custom', path: [...path, 'op'], message: '该字段只能比较「等于」或「属于」' })
}

export const ApprovalSettings = z.object({ version: z.int().min(0), flows: z.array(Flow) })
export type ApprovalSettings = z.infer<typeof ApprovalSettings>
/** A save: the `version` read (a stale one → 409 `version.conflict`) and the whole list of flows. */
export const ApprovalSettingsInput = z
  .strictObject({ version: z.int().min(0), flows: z.array(FlowInput).max(50) })
  .superRefine(({ flows }, ctx) => flows.forEach((flow, i) => checkFlow(flow, ctx, ['flows', i])))
export type ApprovalSettingsInput = z.infer<typeof ApprovalSettingsInput>

export const ApprovalStatus = z.enum(['pending', 'approved', 'rejected', 'withdrawn'])
export type ApprovalStatus = z.infer<typeof ApprovalStatus>

/** What a record governed by a flow carries: 审批中 while `pending`; it takes effect once `approved`. */
export const RecordApproval = z.object({ id: Id, status: ApprovalStatus, flowName: z.string() })
export type RecordApproval = z.infer<typeof RecordApproval>

export const Decision = z.enum(['approve', 'reject'])
export const ApprovalDecision = z.object({
  userId: Id,
  decision: Decision,
  comment: z.string().optional(),
  at: Timestamp,
})
export const StepStatus = z.enum(['waiting', 'pending', 'approved', 'rejected', 'withdrawn'])
export const ApprovalStep = z.object({
  approver: Approver,
  approverIds: z.array(Id),
  mode: StepMode,
  status: StepStatus,
  decisions: z.array(ApprovalDecision),
})
export type ApprovalStep = z.infer<typeof ApprovalStep>

/** An approval instance (审批单): the steps it started with, whatever the flow became since. */
export const Approval = z.object({
  id: Id,
  flowId: Id,
  flowName: z.string(),
  collection: ApprovalCollection,
  recordId: Id,
  recordName: z.string(),
  submitterId: Id,
  submitterName: z.string(),
  status: ApprovalStatus,
  /** index of the step being decided (the last one once decided) */
  currentStep: z.int().min(0),
  steps: z.array(ApprovalStep),
  createdAt: Timestamp,
  decidedAt: Timestamp.nullable(),
  version: z.int().min(1),
})
export type Approval = z.infer<typeof Approval>

/** The instance with the record it governs, as the caller may read it through the approval (read-only). */
export const ApprovalDetail = Approval.extend({ record: z.record(z.string(), z.unknown()).nullable() })
export type ApprovalDetail = z.infer<typeof ApprovalDetail>

export const ApprovalBox = z.enum(['todo', 'done', 'mine'])
export const ApprovalFilter = ListQuery.extend({
  /** 待我审批 · 我已审批 · 我发起的 */
  box: ApprovalBox.default('todo'),
  status: ApprovalStatus.optional(),
  collection: ApprovalCollection.optional(),
})

const Comment = z.string().trim().max(500, '审批意见最多 500 字')
export const ApproveInput = z.strictObject({ comment: Comment.optional() })
export const RejectInput = z.strictObject({ comment: Comment.min(1, '请填写驳回理由') })
export const WithdrawInput = z.strictObject({ comment: Comment.optional() })
