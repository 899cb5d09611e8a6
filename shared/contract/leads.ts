import {
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
