import { Invoice, InvoiceFilter, InvoiceInput, InvoiceUpdate } from '../../shared/schemas/index.js'
import { createInvoice, getInvoice, listInvoices, removeInvoice, updateInvoice } from '../domain/contracts.js'
import { createFunction } from '../http/route.js'
import { crudRoutes } from '../http/crud.js'

/** 发票. */
export const handler = createFunction(
  crudRoutes('invoices', {
    record: Invoice,
    input: InvoiceInput,
    patch: InvoiceUpdate,
    filter: InvoiceFilter,
    list: listInvoices,
    get: getInvoice,
    create: createInvoice,
    update: updateInvoice,
    remove: removeInvoice,
  }),
)
