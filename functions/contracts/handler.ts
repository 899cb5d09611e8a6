import { social } from '../../shared/contract/social.js'
import { socialRoutes } from '../social-routes.js'
import { dealTarget } from '../domain/deals/activity.js'
import { contracts } from '../../shared/contract/contracts.js'
import { bulk } from '../domain/bulk/index.js'
import { printServed } from '../print-routes.js'
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
  ...socialRoutes(social['contracts'], (session, id) => dealTarget(Contracts, session, id)),
  // 调整负责人 is the PATCH of ownerId, over the version just read
  ...printServed(contracts, { check: getContract, render: 'printContract' }),
  serve(contracts.bulk.assign, ({ session, body }) =>
    bulk(body.ids, async (id) => {
      const { version } = await getContract(session, id)
      return updateContract(session, id, { ownerId: body.ownerId, version })
    }),
  ),
  serve(contracts.bulk.delete, ({ session, body }) => bulk(body.ids, (id) => removeContract(session, id))),
  serve(submissions.contracts, ({ session, params }) => resubmit(session, Contracts, 'contracts', params.id)),
])
