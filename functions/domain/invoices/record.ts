import type * as z from 'zod'
import {
  Invoice,
  type InvoiceFilter,
  type InvoiceInput,
  type InvoiceUpdate,
} from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { unprocessable } from '../../core/errors.js'
import { defineCollection, type StoredRecord } from '../../db/collection.js'
import { InvoiceEntity } from '../../db/entities/deals.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { all } from '../../db/filter.js'
import { changed, editRecord, getRecord, insertRecord, newRecord, replaceRecord } from '../../db/records.js'
import {
  dateRange,
  ensureChangeable,
  listScoped,
  ownerIndex,
  removeDeal,
  seesDeal,
} from '../deals/records.js'
import { childCount, childFields, contractOf, contractTab, contractWrite } from '../contracts/children.js'
import { countedAmount } from '../contracts/record.js'
import { dealActivity } from '../deals/activity.js'
import { gate } from '../approvals/submission.js'

/** 发票: a contract's invoices (`uninvoicedAmount` on the contract caps them). */
export type InvoiceRecord = StoredRecord & z.output<typeof Invoice> & { deptId?: string }

export const Invoices = defineCollection<InvoiceRecord>({
  name: 'invoice',
  path: 'invoices',
  tag: TAG.invoice,
  entity: InvoiceEntity,
  schema: Invoice,
  label: (i) => `发票 ${i.title} ¥${i.amount / 100}`,
  visible: seesDeal,
  indexKeys: (i) => ({
    gsi2pk: tenantKey(i.tenantId, TAG.contract, i.contractId),
    gsi2sk: `INV#${i.id}`,
    ...ownerIndex(TAG.invoice, i),
  }),
  sideWrites: (before, after) => {
    const invoiced = countedAmount(after) - countedAmount(before)
    return contractWrite(
      after.tenantId,
      after.contractId,
      { invoiced, children: childCount(before, after) },
      { attr: 'uninvoicedAmount', amount: invoiced },
      () => unprocessable('invoice.exceeds_contract', '开票金额超过合同未开票金额（或合同已删除）'),
    )
  },
})

export async function createInvoice(session: Session, input: z.output<typeof InvoiceInput>) {
  const contract = await contractOf(session, input.contractId)
  if (input.amount > contract.uninvoicedAmount) {
    throw unprocessable(
      'invoice.exceeds_contract',
      `开票金额超过合同未开票金额 ¥${contract.uninvoicedAmount / 100}`,
    )
  }
  const record = newRecord(session, { ...input, ...(await childFields(session, contract)) }) as InvoiceRecord
  const gated = await gate(session, 'invoices', 'create', record, Invoices.label(record))
  return insertRecord(Invoices, gated.record, [
    ...dealActivity(session, Invoices, undefined, record, { contract }),
    ...gated.writes,
  ])
}

export const updateInvoice = (
  session: Session,
  id: string,
  { version, ...changes }: Partial<z.output<typeof InvoiceUpdate>> & { version: number },
) =>
  editRecord(Invoices, session, id, {
    version,
    may: (current) => ensureChangeable(session, current),
    change: async (current) => {
      const next = changed(current, changes)
      const gated = await gate(session, 'invoices', 'update', next, Invoices.label(current))
      return replaceRecord(Invoices, current, gated.record, [
        ...dealActivity(session, Invoices, current, next),
        ...gated.writes,
      ])
    },
  })

export const removeInvoice = (session: Session, id: string) => removeDeal(Invoices, session, id)

export const getInvoice = (session: Session, id: string) => getRecord(Invoices, session, id)

export async function listInvoices(session: Session, query: z.output<typeof InvoiceFilter>) {
  if (query.contractId) await contractOf(session, query.contractId)
  return listScoped(Invoices, session, query, {
    filter: all(
      query.q && {
        or: [
          { attr: 'title', contains: query.q },
          { attr: 'number', contains: query.q },
        ],
      },
      query.type && { attr: 'type', eq: query.type },
      dateRange('issuedAt', query.issuedFrom, query.issuedTo),
    ),
    parent: query.contractId ? contractTab(session, query.contractId, 'INV#') : undefined,
  })
}
