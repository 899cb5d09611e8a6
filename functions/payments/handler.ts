import { social } from '../../shared/contract/social.js'
import { socialRoutes } from '../social-routes.js'
import { dealTarget } from '../domain/deals/activity.js'
import { payments } from '../../shared/contract/payments.js'
import {
  createPayment,
  getPayment,
  listPayments,
  removePayment,
  updatePayment,
  Payments,
} from '../domain/payments/index.js'
import { submissions } from '../../shared/contract/approvals.js'
import { resubmit } from '../domain/approvals/submission.js'
import { apiFunction } from '../api-function.js'
import { crudRoutes } from '../http/crud.js'
import { serve } from '../http/route.js'

/** 回款. */
export const handler = apiFunction([
  ...crudRoutes(payments, {
    list: listPayments,
    get: getPayment,
    create: createPayment,
    update: updatePayment,
    remove: removePayment,
  }),
  ...socialRoutes(social['payments'], (session, id) => dealTarget(Payments, session, id)),
  serve(submissions.payments, ({ session, params }) => resubmit(session, Payments, 'payments', params.id)),
])
