import { Invoice, InvoiceFilter, InvoiceInput, InvoiceUpdate } from '../../shared/schemas/index.js'
import { createInvoice, getInvoice, listInvoices, removeInvoice, updateInvoice } from '../domain/contracts.js'
import { createFunction } from '../http/route.js'
import { verbRoutes } from '../http/verb-routes.js'

/** 发票. */
export const handler = createFunction(
  verbRoutes('invoices', {
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
