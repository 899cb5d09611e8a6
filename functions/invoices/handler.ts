import { social } from '../../shared/contract/social.js'
import { socialRoutes } from '../social-routes.js'
import { dealTarget } from '../domain/deals/activity.js'
import { Invoices } from '../domain/invoices/record.js'
import { invoices } from '../../shared/contract/invoices.js'
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
export const handler = apiFunction([
  ...crudRoutes(invoices, {
    list: listInvoices,
    get: getInvoice,
    create: createInvoice,
    update: updateInvoice,
    remove: removeInvoice,
  }),
  ...socialRoutes(social['invoices'], (session, id) => dealTarget(Invoices, session, id)),
])
