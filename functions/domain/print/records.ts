import type { Line } from '../../../shared/schemas/index.js'
import {
  ContactFilter,
  FollowUpFilter,
  InvoiceFilter,
  PaymentFilter,
  PaymentPlanFilter,
} from '../../../shared/schemas/index.js'
import {
  contractTypeLabels,
  customerCategoryLabels,
  followUpMethodLabels,
  genderLabels,
  importanceLabels,
  invoiceTypeLabels,
  labelOf,
  paymentMethodLabels,
} from '../../../shared/view/labels.js'
import type { Session } from '../../core/context.js'
import { Contacts } from '../contacts/record.js'
import { getContract } from '../contracts/record.js'
import { customerTab } from '../customers/children.js'
import { readCustomer } from '../deals/records.js'
import { heldDealSettings } from '../deals/settings.js'
import { FollowUps } from '../followups/record.js'
import { listInvoices } from '../invoices/record.js'
import { getOpportunity } from '../opportunities/record.js'
import { listPlans } from '../payment-plans/record.js'
import { listPayments } from '../payments/record.js'
import { viewCustomer } from '../customers/phones.js'
import { date, dateTime, type Directory, fields, money, page, readDirectory, section, table } from './page.js'

/**
 * The print pages of 合同 (with its 产品明细, 回款计划, 回款, 发票), 客户 (with its contacts and recent
 * follow-ups) and 商机 (with its 产品明细): each reads the record as the caller may (404 outside the
 * scope) and its tabs' rows through the list verbs (the same scope), names people by name.
 */

const ROWS = 100
const RECENT_FOLLOW_UPS = 10

const linesTable = (lines: Line[] | undefined, total: number) =>
  lines?.length
    ? table(
        '产品明细',
        ['产品', '数量', '单价', '折扣', '金额'],
        [
          ...lines.map((l) => [
            l.productName,
            String(l.quantity),
            money(l.unitPrice),
            l.discount ? `${l.discount}%` : '—',
            money(l.amount),
          ]),
          ['合计', '', '', '', money(total)],
        ],
        { numeric: [1, 2, 3, 4] },
      )
    : ''

const customerName = async (session: Session, id: string) => (await readCustomer(session, id))?.name ?? '—'

export async function printContract(session: Session, id: string) {
  const contract = await getContract(session, id)
  const q = { contractId: id, limit: ROWS }
  const [directory, customer, plans, payments, invoices] = await Promise.all([
    readDirectory(session),
    customerName(session, contract.customerId),
    listPlans(session, PaymentPlanFilter.parse(q)),
    listPayments(session, PaymentFilter.parse(q)),
    listInvoices(session, InvoiceFilter.parse(q)),
  ])
  const body = [
    section(
      '合同信息',
      fields([
        ['合同编号', contract.number],
        ['客户', customer],
        ['合同类型', labelOf(contractTypeLabels, contract.type)],
        ['签约日期', date(contract.signedAt)],
        ['开始日期', date(contract.startDate)],
        ['结束日期', date(contract.endDate)],
        ['合同金额', money(contract.amount)],
        ['已回款', money(contract.receivedAmount)],
        ['已开票', money(contract.invoicedAmount)],
        ['未回款', money(contract.outstandingAmount)],
        ['负责人', directory.person(contract.ownerId)],
        ['所属部门', directory.dept(contract.deptId)],
        ['备注', contract.remark ?? '—'],
      ]),
    ),
    linesTable(contract.lines, contract.amount),
    table(
      '回款计划',
      ['计划回款日期', '计划金额', '已回款', '状态', '备注'],
      plans.items.map((p) => [
        date(p.dueDate),
        money(p.amount),
        money(p.receivedAmount),
        p.unpaidAmount === 0 ? '已回款' : p.overdue ? '已逾期' : '未回款',
        p.remark ?? '',
      ]),
      { numeric: [1, 2] },
    ),
    table(
      '回款记录',
      ['回款日期', '回款方式', '金额', '负责人', '备注'],
      payments.items.map((p) => [
        date(p.receivedAt),
        labelOf(paymentMethodLabels, p.method),
        money(p.amount),
        directory.person(p.ownerId),
        p.remark ?? '',
      ]),
      { numeric: [2] },
    ),
    table(
      '开票记录',
      ['开票日期', '发票抬头', '发票号码', '类型', '金额'],
      invoices.items.map((i) => [
        date(i.issuedAt),
        i.title,
        i.number ?? '',
        labelOf(invoiceTypeLabels, i.type),
        money(i.amount),
      ]),
      { numeric: [4] },
    ),
  ].join('\n')
  const title = `合同：${contract.name}`
  return { title, html: page({ title, subtitle: `合同编号 ${contract.number}`, body, directory }) }
}

export async function printCustomer(session: Session, id: string) {
  const customer = await viewCustomer(session, id)
  const [directory, contacts, followUps] = await Promise.all([
    readDirectory(session),
    customerTab(session, id, Contacts, ContactFilter.parse({ limit: ROWS })),
    customerTab(session, id, FollowUps, FollowUpFilter.parse({ limit: RECENT_FOLLOW_UPS })),
  ])
  const body = [
    section(
      '客户信息',
      fields([
        ['客户分类', labelOf(customerCategoryLabels, customer.category)],
        ['客户来源', customer.source ?? '—'],
        ['电话', customer.phone ?? '—'],
        ['行业', customer.industry ?? '—'],
        ['地址', customer.address ?? '—'],
        ['客户经理', customer.ownerId ? directory.person(customer.ownerId) : '公海'],
        ['所属部门', directory.dept(customer.deptId)],
        ['最近跟进', dateTime(customer.lastFollowUpAt)],
        ['已成交合同金额', money(customer.wonAmount)],
        ['备注', customer.remark ?? '—'],
      ]),
    ),
    table(
      '联系人',
      ['姓名', '性别', '职务', '手机', '办公电话', '邮箱'],
      contacts.items.map((c) => [
        `${c.name}${c.isPrimary ? '（主要）' : ''}`,
        labelOf(genderLabels, c.gender),
        c.title ?? '',
        c.mobile ?? '',
        c.officePhone ?? '',
        c.email ?? '',
      ]),
    ),
    table(
      `最近跟进（${RECENT_FOLLOW_UPS} 条以内）`,
      ['跟进时间', '方式', '跟进人', '内容'],
      followUps.items.map((f) => [
        dateTime(f.followedAt),
        labelOf(followUpMethodLabels, f.method),
        directory.person(f.createdBy),
        f.content,
      ]),
    ),
  ].join('\n')
  const title = `客户：${customer.name}`
  return { title, html: page({ title, body, directory }) }
}

export async function printOpportunity(session: Session, id: string) {
  const opportunity = await getOpportunity(session, id)
  const [directory, customer, settings] = await Promise.all([
    readDirectory(session),
    customerName(session, opportunity.customerId),
    heldDealSettings(session.tenantId),
  ])
  const stage = settings.stages.find((s) => s.id === opportunity.stageId)
  const body = [
    section(
      '商机信息',
      fields([
        ['客户', customer],
        ['销售阶段', stage ? `${stage.name}（赢率 ${stage.probability}%）` : '—'],
        ['商机金额', money(opportunity.amount)],
        ['预计成交日期', date(opportunity.expectedCloseDate)],
        ['重要程度', labelOf(importanceLabels, opportunity.importance)],
        ['负责人', directory.person(opportunity.ownerId)],
        ['所属部门', directory.dept(opportunity.deptId)],
        ['成交日期', date(opportunity.closeDate)],
        ['输单原因', opportunity.lostReason ?? '—'],
        ['备注', opportunity.remark ?? '—'],
      ]),
    ),
    linesTable(opportunity.lines, opportunity.amount),
  ].join('\n')
  const title = `商机：${opportunity.name}`
  return { title, html: page({ title, body, directory }) }
}

export type { Directory }
