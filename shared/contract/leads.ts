import {
  BulkInput,
  BulkLeadAssignInput,
  ConvertInput,
  ConvertResult,
  CountedPage,
  Lead,
  LeadAssignInput,
  LeadCreated,
  LeadFilter,
  LeadInput,
  LeadInvalidInput,
} from '../schemas/index.js'
import { bulkRoute } from './bulk.js'
import { crud, route } from './route.js'

/** 线索. */
export const leads = {
  ...crud('leads', {
    record: Lead,
    input: LeadInput,
    patch: LeadInput.omit({ assigneeId: true }),
    filter: LeadFilter,
    page: CountedPage(Lead),
    created: LeadCreated,
  }),
  assign: route({
    method: 'POST',
    path: '/api/leads/{id}/assign',
    status: 200,
    roles: ['manager', 'admin'],
    body: LeadAssignInput,
    response: Lead,
  }),
  /** 批量分配 / 删除 */
  bulk: {
    assign: bulkRoute('leads/bulk/assign', BulkLeadAssignInput, ['manager', 'admin']),
    delete: bulkRoute('leads/bulk/delete', BulkInput),
  },
  convert: route({
    method: 'POST',
    path: '/api/leads/{id}/convert',
    status: 200,
    body: ConvertInput,
    response: ConvertResult,
  }),
  markInvalid: route({
    method: 'POST',
    path: '/api/leads/{id}/invalid',
    status: 200,
    body: LeadInvalidInput,
    response: Lead,
  }),
}
