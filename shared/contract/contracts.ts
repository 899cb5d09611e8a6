import { Contract, ContractFilter, ContractInput, ContractUpdate } from '../schemas/index.js'
import { crud } from './route.js'

/** 合同: every read carries receivedAmount, invoicedAmount and outstandingAmount. */
export const contracts = crud('contracts', {
  record: Contract,
  input: ContractInput,
  patch: ContractUpdate,
  filter: ContractFilter,
})
