import { social } from '../../shared/contract/social.js'
import { socialRoutes } from '../social-routes.js'
import { dealTarget } from '../domain/deals/activity.js'
import { invoices } from '../../shared/contract/invoices.js'
import {
  createInvoice,
  getInvoice,
  listInvoices,
  removeInvoice,
  updateInvoice,
  Invoices,
} from '../domain/invoices/index.js'
import { submissions } from '../../shared/contract/approvals.js'
import { resubmit } from '../domain/approvals/submission.js'
import { apiFunction } from '../api-function.js'
import { crudRoutes } from '../http/crud.js'
import { serve } from '../http/route.js'

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
  serve(submissions.invoices, ({ session, params }) => resubmit(session, Invoices, 'invoices', params.id)),
])
