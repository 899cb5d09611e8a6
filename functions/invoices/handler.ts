import { Invoice, InvoiceFilter, InvoiceInput, InvoiceUpdate } from '../../shared/schemas/index.js'
import {
  createInvoice,
  getInvoice,
  listInvoices,
  removeInvoice,
  updateInvoice,
} from '../domain/invoices/index.js'
import { apiFunction } from '../api-function.js'
import { crudRoutes } from '../http/crud.js'

/** 发票. */
export const handler = apiFunction(
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
