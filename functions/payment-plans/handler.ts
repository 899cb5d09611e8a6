import { social } from '../../shared/contract/social.js'
import { socialRoutes } from '../social-routes.js'
import { dealTarget } from '../domain/deals/activity.js'
import { PaymentPlans } from '../domain/payment-plans/record.js'
import { paymentPlans } from '../../shared/contract/payment-plans.js'
import { createPlan, getPlan, listPlans, removePlan, updatePlan } from '../domain/payment-plans/index.js'
import { apiFunction } from '../api-function.js'
import { crudRoutes } from '../http/crud.js'

/** 回款计划: overdue when unpaid after the due date. */
export const handler = apiFunction([
  ...crudRoutes(paymentPlans, {
    list: listPlans,
    get: getPlan,
    create: createPlan,
    update: updatePlan,
    remove: removePlan,
  }),
  ...socialRoutes(social['payment-plans'], (session, id) => dealTarget(PaymentPlans, session, id)),
])
