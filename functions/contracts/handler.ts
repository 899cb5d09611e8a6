import { Contract, ContractFilter, ContractInput, ContractUpdate } from '../../shared/schemas/index.js'
import {
  createContract,
  getContract,
  listContracts,
  removeContract,
  updateContract,
} from '../domain/contracts/index.js'
import { apiFunction } from '../api-function.js'
import { crudRoutes } from '../http/crud.js'

/** 合同: every read carries receivedAmount, invoicedAmount and outstandingAmount. */
export const handler = apiFunction(
  crudRoutes('contracts', {
    record: Contract,
    input: ContractInput,
    patch: ContractUpdate,
    filter: ContractFilter,
    list: listContracts,
    get: getContract,
    create: createContract,
    update: updateContract,
    remove: removeContract,
  }),
)
