import { Payment, PaymentFilter, PaymentInput, PaymentUpdate } from '../../shared/schemas/index.js'
import {
  createPayment,
  getPayment,
  listPayments,
  removePayment,
  updatePayment,
} from '../domain/payments/index.js'
import { apiFunction } from '../api-function.js'
import { crudRoutes } from '../http/crud.js'

/** 回款. */
export const handler = apiFunction(
  crudRoutes('payments', {
    record: Payment,
    input: PaymentInput,
    patch: PaymentUpdate,
    filter: PaymentFilter,
    list: listPayments,
    get: getPayment,
    create: createPayment,
    update: updatePayment,
    remove: removePayment,
  }),
)
