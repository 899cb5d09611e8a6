import { social } from '../../shared/contract/social.js'
import { socialRoutes } from '../social-routes.js'
import { dealTarget } from '../domain/deals/activity.js'
import { Contracts } from '../domain/contracts/record.js'
import { contracts } from '../../shared/contract/contracts.js'
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
export const handler = apiFunction([
  ...crudRoutes(contracts, {
    list: listContracts,
    get: getContract,
    create: createContract,
    update: updateContract,
    remove: removeContract,
  }),
  ...socialRoutes(social['contracts'], (session, id) => dealTarget(Contracts, session, id)),
])
