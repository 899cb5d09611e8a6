import { Payment, PaymentFilter, PaymentInput, PaymentUpdate } from '../schemas/index.js'
import { crud } from './route.js'

/** 回款. */
export const payments = crud('payments', {
  record: Payment,
  input: PaymentInput,
  patch: PaymentUpdate,
  filter: PaymentFilter,
})
