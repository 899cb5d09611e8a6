import {
  PaymentPlan,
  PaymentPlanFilter,
  PaymentPlanInput,
  PaymentPlanUpdate,
} from '../../shared/schemas/index.js'
import { createPlan, getPlan, listPlans, removePlan, updatePlan } from '../domain/contracts.js'
import { createFunction } from '../http/route.js'
import { crudRoutes } from '../http/crud.js'

/** 回款计划: overdue when unpaid after the due date. */
export const handler = createFunction(
  crudRoutes('payment-plans', {
    record: PaymentPlan,
    input: PaymentPlanInput,
    patch: PaymentPlanUpdate,
    filter: PaymentPlanFilter,
    list: listPlans,
    get: getPlan,
    create: createPlan,
    update: updatePlan,
    remove: removePlan,
  }),
)
