import { contracts } from '../../shared/contract/contracts.js'
import {
  createContract,
  getContract,
  listContracts,
  removeContract,
  updateContract,
  Contracts,
} from '../domain/contracts/index.js'
import { submissions } from '../../shared/contract/approvals.js'
import { resubmit } from '../domain/approvals/submission.js'
import { apiFunction } from '../api-function.js'
import { crudRoutes } from '../http/crud.js'
import { serve } from '../http/route.js'

/** 合同: every read carries receivedAmount, invoicedAmount and outstandingAmount. */
export const handler = apiFunction([
  ...crudRoutes(contracts, {
    list: listContracts,
    get: getContract,
    create: createContract,
    update: updateContract,
    remove: removeContract,
  }),
  serve(submissions.contracts, ({ session, params }) => resubmit(session, Contracts, 'contracts', params.id)),
])
