import {
  BulkAssignInput,
  BulkInput,
  Contract,
  ContractFilter,
  ContractInput,
  ContractUpdate,
} from '../schemas/index.js'
import { bulkRoute } from './bulk.js'
import { printRoutes } from './print.js'
import { crud } from './route.js'

/** 合同: every read carries receivedAmount, invoicedAmount and outstandingAmount. */
export const contracts = {
  ...crud('contracts', {
    record: Contract,
    input: ContractInput,
    patch: ContractUpdate,
    filter: ContractFilter,
  }),
  ...printRoutes('contracts'),
  /** 批量调整负责人 / 删除 */
  bulk: {
    assign: bulkRoute('contracts/bulk/assign', BulkAssignInput, ['manager', 'admin']),
    delete: bulkRoute('contracts/bulk/delete', BulkInput),
  },
}
