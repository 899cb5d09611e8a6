import {
  ContactInput,
  CustomerInput,
  CustomerUpdate,
  FollowUpInput,
  LeadInput,
  type Contact,
  type Customer,
  type FollowUp,
  type Lead,
} from '../schemas/lifecycle.js'
import { formatDate, formatDateTime } from './format.js'
import {
  customerCategoryLabels,
  customerSourceLabels,
  followUpMethodLabels,
  genderLabels,
  labelOf,
  leadStatusLabels,
} from './labels.js'
import { type FieldView, infoAndTimeline, type RecordView } from './record-view.js'

/** 线索 / 公海 / 客户 / 联系人 / 跟进记录: how both apps list, show and edit them. */

const join = (...parts: (string | undefined | null | false)[]) => parts.filter(Boolean).join(' · ')

/** 线索 */
export const leadView: RecordView<Lead> = {
  collection: 'leads',
  noun: '线索',
  title: (l) => l.title,
  brief: (l) => join(labelOf(leadStatusLabels, l.status), l.companyName, l.contactName),
  fields: [
    { name: 'title', label: '线索名称', kind: 'text', required: true, placeholder: '请输入线索名称' },
    { name: 'companyName', label: '公司名称', kind: 'text', placeholder: '请输入公司名称' },
    { name: 'contactName', label: '联系人', kind: 'text', placeholder: '联系人姓名' },
    { name: 'contactInfo', label: '联系方式', kind: 'text', placeholder: '手机、电话、微信或邮箱' },
    { name: 'source', label: '线索来源', kind: 'enum', options: customerSourceLabels },
    { name: 'status', label: '状态', kind: 'enum', options: leadStatusLabels, readOnly: true },
    { name: 'assigneeId', label: '负责人', kind: 'user', createOnly: true },
    { name: 'deptId', label: '所属部门', kind: 'dept', readOnly: true },
    { name: 'description', label: '线索描述', kind: 'textarea', placeholder: '需求、背景等' },
    { name: 'result', label: '跟进结果', kind: 'text', placeholder: '如：有意向、已约见面' },
    { name: 'feedback', label: '跟进反馈信息', kind: 'textarea', placeholder: '客户的反馈、下一步' },
    { name: 'convertedCustomerId', label: '转化客户', kind: 'ref', ref: 'customers', readOnly: true },
  ],
  columns: ['title', 'companyName', 'contactName', 'source', 'status', 'assigneeId', 'createdAt'],
  filters: [{ name: 'status', label: '状态', options: leadStatusLabels }],
  pickFilters: [{ name: 'assigneeId', label: '负责人', kind: 'user' }],
  dateFilters: [{ label: '创建日期', from: 'createdFrom', to: 'createdTo', presets: 'past' }],
  searchPlaceholder: '搜索线索名称、公司、联系人',
  input: LeadInput,
  tabs: [
    { key: 'info', label: '线索信息' },
    { key: 'timeline', label: '动态' },
  ],
}

const customerFields: readonly FieldView[] = [
  { name: 'name', label: '客户名称', kind: 'text', required: true, placeholder: '请输入客户名称' },
  { name: 'category', label: '客户分类', kind: 'enum', options: customerCategoryLabels },
  { name: 'source', label: '客户来源', kind: 'enum', options: customerSourceLabels },
  { name: 'ownerId', label: '客户经理', kind: 'user', createOnly: true },
  { name: 'collaboratorIds', label: '协助跟进人', kind: 'users', createOnly: true },
  { name: 'deptId', label: '所属部门', kind: 'dept', readOnly: true },
  { name: 'phone', label: '电话', kind: 'phone', placeholder: '手机或带区号的座机' },
  { name: 'industry', label: '行业', kind: 'text', placeholder: '如：制造业' },
  { name: 'address', label: '地址', kind: 'text', placeholder: '请输入地址' },
  { name: 'location', label: '定位', kind: 'location' },
  { name: 'wonAmount', label: '已成交合同金额', kind: 'money', readOnly: true },
  { name: 'lastFollowUpAt', label: '最近跟进日期', kind: 'date', readOnly: true },
  { name: 'remark', label: '备注', kind: 'textarea', placeholder: '请输入备注' },
  { name: 'attachments', label: '附件', kind: 'attachments' },
]

/** 客户: the H3Yun PC columns, its filters, and the detail's tabs. */
export const customerView: RecordView<Customer> = {
  collection: 'customers',
  noun: '客户',
  title: (c) => c.name,
  brief: (c) =>
    join(
      c.category && labelOf(customerCategoryLabels, c.category),
      c.source,
      c.lastFollowUpAt ? `最近跟进 ${formatDate(c.lastFollowUpAt)}` : '未跟进',
    ),
  fields: customerFields,
  columns: [
    'name',
    'deptId',
    'ownerId',
    'collaboratorIds',
    'category',
    'source',
    'wonAmount',
    'lastFollowUpAt',
    'createdAt',
  ],
  sorts: ['createdAt', 'lastFollowUpAt'],
  filters: [
    { name: 'category', label: '客户分类', options: customerCategoryLabels },
    { name: 'source', label: '客户来源', options: customerSourceLabels },
  ],
  pickFilters: [
    { name: 'ownerId', label: '客户经理', kind: 'user' },
    { name: 'deptId', label: '所属部门', kind: 'dept' },
  ],
  dateFilters: [{ label: '最近跟进日期', from: 'lastFollowUpFrom', to: 'lastFollowUpTo', presets: 'past' }],
  searchPlaceholder: '搜索客户名称、电话',
  input: CustomerInput,
  update: CustomerUpdate,
  tabs: [
    { key: 'info', label: '客户信息' },
    { key: 'timeline', label: '动态' },
    { key: 'followups', label: '跟进', childKey: 'customerId' },
    { key: 'opportunities', label: '商机', childKey: 'customerId' },
    { key: 'contracts', label: '合同', childKey: 'customerId' },
    { key: 'contacts', label: '联系人', childKey: 'customerId' },
  ],
}

/** 公海: customers without an owner (created straight into the pool, or released, or recycled). */
export const poolView: RecordView<Customer> = {
  collection: 'pool',
  noun: '公海客户',
  title: (c) => c.name,
  brief: (c) =>
    join(
      c.category && labelOf(customerCategoryLabels, c.category),
      c.poolEnteredAt ? `进入公海 ${formatDate(c.poolEnteredAt)}` : undefined,
      c.releaseReason,
    ),
  fields: [
    ...customerFields.filter((f) => f.name !== 'ownerId' && f.name !== 'collaboratorIds'),
    { name: 'prevOwnerId', label: '前客户经理', kind: 'user', readOnly: true },
    { name: 'poolEnteredAt', label: '进入公海时间', kind: 'datetime', readOnly: true },
    { name: 'releaseReason', label: '退回原因', kind: 'text', readOnly: true },
  ],
  columns: ['name', 'category', 'source', 'prevOwnerId', 'releaseReason', 'poolEnteredAt', 'lastFollowUpAt'],
  filters: customerView.filters,
  dateFilters: customerView.dateFilters,
  searchPlaceholder: '搜索公海客户名称、电话',
  input: CustomerInput,
  update: CustomerUpdate,
}

/** 联系人 */
export const contactView: RecordView<Contact> = {
  collection: 'contacts',
  noun: '联系人',
  tabs: infoAndTimeline('联系人'),
  title: (c) => c.name,
  brief: (c) => join(c.isPrimary && '主联系人', c.title, c.mobile ?? c.officePhone),
  rowRefs: ['customerId'],
  fields: [
    {
      name: 'customerId',
      label: '所属客户',
      kind: 'ref',
      ref: 'customers',
      required: true,
      createOnly: true,
    },
    { name: 'name', label: '姓名', kind: 'text', required: true, placeholder: '请输入联系人姓名' },
    { name: 'gender', label: '性别', kind: 'enum', options: genderLabels, initial: 'unknown' },
    { name: 'title', label: '职务', kind: 'text', placeholder: '如：采购经理' },
    { name: 'mobile', label: '手机', kind: 'phone', placeholder: '11 位手机号' },
    { name: 'officePhone', label: '办公电话', kind: 'phone', placeholder: '带区号的座机' },
    { name: 'email', label: '邮箱', kind: 'text', placeholder: 'name@example.com' },
    { name: 'isPrimary', label: '主联系人', kind: 'boolean', initial: false },
  ],
  columns: ['name', 'customerId', 'title', 'mobile', 'officePhone', 'email', 'isPrimary', 'createdAt'],
  searchPlaceholder: '搜索联系人姓名、电话',
  input: ContactInput,
}

/** 跟进记录 */
export const followUpView: RecordView<FollowUp> = {
  collection: 'followups',
  noun: '跟进记录',
  tabs: infoAndTimeline('跟进记录'),
  title: (f) => `${labelOf(followUpMethodLabels, f.method)}跟进 · ${formatDateTime(f.followedAt)}`,
  brief: (f) => (f.content.length > 40 ? f.content.slice(0, 40) + '…' : f.content),
  rowRefs: ['customerId', 'createdBy'],
  fields: [
    { name: 'customerId', label: '客户', kind: 'ref', ref: 'customers', required: true, createOnly: true },
    { name: 'contactId', label: '联系人', kind: 'ref', ref: 'contacts', scopeBy: 'customerId' },
    { name: 'opportunityId', label: '商机', kind: 'ref', ref: 'opportunities', scopeBy: 'customerId' },
    {
      name: 'method',
      label: '跟进方式',
      kind: 'enum',
      options: followUpMethodLabels,
      required: true,
      initial: 'phone',
    },
    {
      name: 'content',
      label: '跟进内容',
      kind: 'textarea',
      required: true,
      placeholder: '沟通了什么、下一步',
    },
    { name: 'followedAt', label: '跟进时间', kind: 'datetime', required: true },
    { name: 'location', label: '位置', kind: 'location' },
    { name: 'nextFollowUpAt', label: '下次跟进时间', kind: 'datetime' },
    { name: 'attachments', label: '附件', kind: 'attachments' },
    { name: 'createdBy', label: '跟进人', kind: 'user', readOnly: true },
  ],
  columns: ['followedAt', 'customerId', 'method', 'content', 'createdBy', 'nextFollowUpAt'],
  filters: [{ name: 'method', label: '跟进方式', options: followUpMethodLabels }],
  dateFilters: [{ label: '跟进日期', from: 'followedFrom', to: 'followedTo', presets: 'past' }],
  searchPlaceholder: '搜索跟进内容',
  input: FollowUpInput,
}
