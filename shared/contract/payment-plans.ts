import { PaymentPlan, PaymentPlanFilter, PaymentPlanInput, PaymentPlanUpdate } from '../schemas/index.js'
import { crud } from './route.js'

/** 回款计划: overdue when unpaid after the due date. */
export const paymentPlans = crud('payment-plans', {
  record: PaymentPlan,
  input: PaymentPlanInput,
  patch: PaymentPlanUpdate,
  filter: PaymentPlanFilter,
})
