import {
  ContractInput,
  ContractUpdate,
  InvoiceInput,
  InvoiceUpdate,
  OpportunityInput,
  OpportunityUpdate,
  PaymentInput,
  PaymentPlanInput,
  PaymentPlanUpdate,
  PaymentUpdate,
  TargetInput,
  TargetUpdate,
  type Contract,
  type Invoice,
  type Opportunity,
  type Payment,
  type PaymentPlan,
  type Target,
} from '../schemas/deals.js'
import { formatDate, formatMoney } from './format.js'
import {
  contractTypeLabels,
  importanceLabels,
  invoiceTypeLabels,
  labelOf,
  paymentMethodLabels,
  targetMetricLabels,
  targetScopeLabels,
} from './labels.js'
import { infoAndTimeline, type RecordView } from './record-view.js'

/** 商机 / 合同 / 回款计划 / 回款 / 发票 / 销售目标: how both apps list, show and edit them. */

const join = (...parts: (string | undefined | null | false)[]) => parts.filter(Boolean).join(' · ')

/** 商机: the stage moves only through 推进 (`POST /stage`), so it is not in the edit form. */
export const opportunityView: RecordView<Opportunity> = {
  collection: 'opportunities',
  noun: '商机',
  tabs: infoAndTimeline('商机'),
  title: (o) => o.name,
  rowRefs: ['customerId', 'stageId'],
  brief: (o) =>
    join(
      formatMoney(o.amount),
      o.expectedCloseDate && `预计 ${formatDate(o.expectedCloseDate)} 成交`,
      `重要程度 ${labelOf(importanceLabels, o.importance)}`,
    ),
  fields: [
    { name: 'name', label: '商机名称', kind: 'text', required: true, placeholder: '请输入商机名称' },
    { name: 'customerId', label: '客户', kind: 'ref', ref: 'customers', required: true, createOnly: true },
    { name: 'stageId', label: '销售阶段', kind: 'stage', createOnly: true },
    { name: 'lines', label: '产品明细', kind: 'lines' },
    { name: 'amount', label: '商机金额（元）', kind: 'money', placeholder: '有产品明细时按明细合计' },
    { name: 'expectedCloseDate', label: '预计成交日期', kind: 'date' },
    { name: 'importance', label: '重要程度', kind: 'enum', options: importanceLabels, initial: 'medium' },
    { name: 'ownerId', label: '负责人', kind: 'user' },
    { name: 'deptId', label: '所属部门', kind: 'dept', readOnly: true },
    { name: 'closeDate', label: '成交日期', kind: 'date', readOnly: true },
    { name: 'lostReason', label: '输单原因', kind: 'text', readOnly: true },
    { name: 'stageChangedAt', label: '阶段变更时间', kind: 'datetime', readOnly: true },
    { name: 'remark', label: '备注', kind: 'textarea', placeholder: '请输入备注' },
  ],
  columns: [
    'name',
    'customerId',
    'stageId',
    'amount',
    'expectedCloseDate',
    'importance',
    'ownerId',
    'updatedAt',
  ],
  filters: [{ name: 'importance', label: '重要程度', options: importanceLabels }],
  pickFilters: [
    { name: 'stageId', label: '销售阶段', kind: 'stage' },
    { name: 'ownerId', label: '负责人', kind: 'user' },
  ],
  dateFilters: [
    { label: '预计成交日期', from: 'expectedCloseFrom', to: 'expectedCloseTo', presets: 'future' },
  ],
  searchPlaceholder: '搜索商机名称',
  input: OpportunityInput,
  update: OpportunityUpdate,
}

/** 合同: the amounts the server keeps (已回款, 已开票, 未回款) and the 回款 / 发票 / 回款计划 tabs. */
export const contractView: RecordView<Contract> = {
  collection: 'contracts',
  noun: '合同',
  title: (c) => c.name,
  brief: (c) => join(c.number, `合同 ${formatMoney(c.amount)}`, `未回款 ${formatMoney(c.outstandingAmount)}`),
  rowRefs: ['customerId'],
  fields: [
    { name: 'number', label: '合同编号', kind: 'text', required: true, placeholder: '请输入合同编号' },
    { name: 'name', label: '合同名称', kind: 'text', required: true, placeholder: '请输入合同名称' },
    { name: 'customerId', label: '客户', kind: 'ref', ref: 'customers', required: true, createOnly: true },
    { name: 'opportunityId', label: '商机', kind: 'ref', ref: 'opportunities', scopeBy: 'customerId' },
    { name: 'type', label: '合同类型', kind: 'enum', options: contractTypeLabels, initial: 'product' },
    { name: 'lines', label: '产品明细', kind: 'lines' },
    { name: 'amount', label: '合同金额（元）', kind: 'money', placeholder: '有产品明细时按明细合计' },
    { name: 'receivedAmount', label: '已回款', kind: 'money', readOnly: true },
    { name: 'invoicedAmount', label: '已开票', kind: 'money', readOnly: true },
    { name: 'outstandingAmount', label: '未回款', kind: 'money', readOnly: true },
    { name: 'plannedAmount', label: '计划回款', kind: 'money', readOnly: true },
    { name: 'signedAt', label: '签约日期', kind: 'date', required: true },
    { name: 'startDate', label: '开始日期', kind: 'date' },
    { name: 'endDate', label: '结束日期', kind: 'date' },
    { name: 'ownerId', label: '负责人', kind: 'user' },
    { name: 'deptId', label: '所属部门', kind: 'dept', readOnly: true },
    { name: 'remark', label: '备注', kind: 'textarea', placeholder: '请输入备注' },
    { name: 'attachments', label: '附件', kind: 'attachments' },
  ],
  columns: [
    'name',
    'number',
    'customerId',
    'amount',
    'receivedAmount',
    'invoicedAmount',
    'outstandingAmount',
    'signedAt',
    'ownerId',
  ],
  filters: [{ name: 'type', label: '合同类型', options: contractTypeLabels }],
  pickFilters: [{ name: 'ownerId', label: '负责人', kind: 'user' }],
  dateFilters: [{ label: '签约日期', from: 'signedFrom', to: 'signedTo', presets: 'past' }],
  searchPlaceholder: '搜索合同名称、编号',
  input: ContractInput,
  update: ContractUpdate,
  tabs: [
    { key: 'info', label: '合同信息' },
    { key: 'timeline', label: '动态' },
    { key: 'payments', label: '回款', childKey: 'contractId' },
    { key: 'invoices', label: '发票', childKey: 'contractId' },
    { key: 'payment-plans', label: '回款计划', childKey: 'contractId' },
  ],
}

const overdueLabels = { true: '已逾期', false: '未逾期' } as const

/** 回款计划 */
export const paymentPlanView: RecordView<PaymentPlan> = {
  collection: 'payment-plans',
  noun: '回款计划',
  tabs: infoAndTimeline('回款计划'),
  title: (p) => `${formatDate(p.dueDate)} 计划回款 ${formatMoney(p.amount)}`,
  brief: (p) => join(p.overdue && '已逾期', `已回款 ${formatMoney(p.receivedAmount)}`),
  rowRefs: ['contractId'],
  fields: [
    { name: 'contractId', label: '合同', kind: 'ref', ref: 'contracts', required: true, createOnly: true },
    { name: 'dueDate', label: '计划回款日期', kind: 'date', required: true },
    { name: 'amount', label: '计划回款金额（元）', kind: 'money', required: true, placeholder: '0.00' },
    { name: 'receivedAmount', label: '已回款', kind: 'money', readOnly: true },
    { name: 'unpaidAmount', label: '未回款', kind: 'money', readOnly: true },
    { name: 'overdue', label: '逾期', kind: 'boolean', readOnly: true, options: overdueLabels },
    { name: 'customerId', label: '客户', kind: 'ref', ref: 'customers', readOnly: true },
    { name: 'ownerId', label: '负责人', kind: 'user', readOnly: true },
    { name: 'remark', label: '备注', kind: 'textarea', placeholder: '请输入备注' },
  ],
  columns: [
    'dueDate',
    'contractId',
    'customerId',
    'amount',
    'receivedAmount',
    'unpaidAmount',
    'overdue',
    'ownerId',
  ],
  filters: [{ name: 'overdue', label: '逾期', options: overdueLabels }],
  pickFilters: [{ name: 'ownerId', label: '负责人', kind: 'user' }],
  dateFilters: [{ label: '计划回款日期', from: 'dueFrom', to: 'dueTo', presets: 'future' }],
  searchPlaceholder: '搜索回款计划备注',
  input: PaymentPlanInput,
  update: PaymentPlanUpdate,
}

/** 回款 */
export const paymentView: RecordView<Payment> = {
  collection: 'payments',
  noun: '回款',
  tabs: infoAndTimeline('回款'),
  title: (p) => `${formatDate(p.receivedAt)} 回款 ${formatMoney(p.amount)}`,
  brief: (p) => labelOf(paymentMethodLabels, p.method),
  rowRefs: ['contractId'],
  fields: [
    { name: 'contractId', label: '合同', kind: 'ref', ref: 'contracts', required: true, createOnly: true },
    { name: 'planId', label: '回款计划', kind: 'ref', ref: 'payment-plans', scopeBy: 'contractId' },
    { name: 'amount', label: '回款金额（元）', kind: 'money', required: true, placeholder: '0.00' },
    { name: 'receivedAt', label: '回款日期', kind: 'date', required: true },
    { name: 'method', label: '付款方式', kind: 'enum', options: paymentMethodLabels, initial: 'transfer' },
    { name: 'customerId', label: '客户', kind: 'ref', ref: 'customers', readOnly: true },
    { name: 'ownerId', label: '负责人', kind: 'user' },
    { name: 'remark', label: '备注', kind: 'textarea', placeholder: '请输入备注' },
  ],
  columns: ['receivedAt', 'contractId', 'customerId', 'amount', 'method', 'ownerId', 'createdAt'],
  filters: [{ name: 'method', label: '付款方式', options: paymentMethodLabels }],
  pickFilters: [{ name: 'ownerId', label: '负责人', kind: 'user' }],
  dateFilters: [{ label: '回款日期', from: 'receivedFrom', to: 'receivedTo', presets: 'past' }],
  searchPlaceholder: '搜索回款备注',
  input: PaymentInput,
  update: PaymentUpdate,
}

/** 发票 */
export const invoiceView: RecordView<Invoice> = {
  collection: 'invoices',
  noun: '发票',
  tabs: infoAndTimeline('发票'),
  title: (i) => i.title,
  brief: (i) => join(labelOf(invoiceTypeLabels, i.type), formatMoney(i.amount), formatDate(i.issuedAt)),
  rowRefs: ['contractId'],
  fields: [
    { name: 'contractId', label: '合同', kind: 'ref', ref: 'contracts', required: true, createOnly: true },
    { name: 'title', label: '发票抬头', kind: 'text', required: true, placeholder: '请输入发票抬头' },
    { name: 'number', label: '发票号码', kind: 'text', placeholder: '请输入发票号码' },
    { name: 'type', label: '发票类型', kind: 'enum', options: invoiceTypeLabels, initial: 'vat_normal' },
    { name: 'amount', label: '开票金额（元）', kind: 'money', required: true, placeholder: '0.00' },
    { name: 'issuedAt', label: '开票日期', kind: 'date', required: true },
    { name: 'customerId', label: '客户', kind: 'ref', ref: 'customers', readOnly: true },
    { name: 'ownerId', label: '负责人', kind: 'user', readOnly: true },
    { name: 'remark', label: '备注', kind: 'textarea', placeholder: '请输入备注' },
  ],
  columns: ['title', 'number', 'contractId', 'customerId', 'type', 'amount', 'issuedAt'],
  filters: [{ name: 'type', label: '发票类型', options: invoiceTypeLabels }],
  pickFilters: [{ name: 'ownerId', label: '负责人', kind: 'user' }],
  dateFilters: [{ label: '开票日期', from: 'issuedFrom', to: 'issuedTo', presets: 'past' }],
  searchPlaceholder: '搜索发票抬头、发票号',
  input: InvoiceInput,
  update: InvoiceUpdate,
}

/** This year and its neighbours, for the 销售目标 year filter. */
const yearOptions = (year = new Date().getFullYear()): Record<string, string> =>
  Object.fromEntries([year - 1, year, year + 1].map((y) => [String(y), `${y} 年`]))

/** 销售目标: a department's or a person's twelve monthly amounts for a year. */
export const targetView: RecordView<Target> = {
  collection: 'targets',
  noun: '销售目标',
  tabs: infoAndTimeline('销售目标'),
  title: (t) => `${t.year} 年 ${t.name} ${labelOf(targetMetricLabels, t.metric)}目标`,
  brief: (t) => `全年 ${formatMoney(t.yearTotal)}`,
  fields: [
    {
      name: 'scope',
      label: '目标类型',
      kind: 'enum',
      options: targetScopeLabels,
      required: true,
      createOnly: true,
      initial: 'user',
    },
    { name: 'subjectId', label: '部门或人员', kind: 'subject', required: true, createOnly: true },
    { name: 'name', label: '目标对象', kind: 'text', readOnly: true },
    {
      name: 'metric',
      label: '目标指标',
      kind: 'enum',
      options: targetMetricLabels,
      required: true,
      createOnly: true,
      initial: 'contractAmount',
    },
    {
      name: 'year',
      label: '年度',
      kind: 'number',
      required: true,
      createOnly: true,
      initial: String(new Date().getFullYear()),
    },
    { name: 'months', label: '每月目标（元）', kind: 'months', required: true },
    { name: 'yearTotal', label: '全年目标', kind: 'money', readOnly: true },
  ],
  columns: ['name', 'scope', 'metric', 'year', 'yearTotal', 'updatedAt'],
  filters: [
    { name: 'year', label: '年度', options: yearOptions() },
    { name: 'metric', label: '目标指标', options: targetMetricLabels },
    { name: 'scope', label: '目标类型', options: targetScopeLabels },
  ],
  searchPlaceholder: '搜索部门或人员',
  input: TargetInput,
  update: TargetUpdate,
}
