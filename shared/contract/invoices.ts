import { Invoice, InvoiceFilter, InvoiceInput, InvoiceUpdate } from '../schemas/index.js'
import { crud } from './route.js'

/** 发票. */
export const invoices = crud('invoices', {
  record: Invoice,
  input: InvoiceInput,
  patch: InvoiceUpdate,
  filter: InvoiceFilter,
})
