import * as z from 'zod'
import {
  Activity,
  ConvertInput,
  ConvertResult,
  Lead,
  LeadAssignInput,
  LeadCreated,
  LeadFilter,
  LeadInput,
  LeadInvalidInput,
  Page,
  TimelineQuery,
} from '../../shared/schemas/index.js'
import { TAG } from '../db/entities/record.js'
import { getRecord } from '../db/records.js'
import { timeline } from '../domain/activity/index.js'
import {
  assignLead,
  convertLead,
  createLead,
  Leads,
  listLeads,
  markInvalid,
  removeLead,
  updateLead,
} from '../domain/leads/index.js'
import { crudRoutes, idOf } from '../http/crud.js'
import { apiFunction } from '../api-function.js'
import { route } from '../http/route.js'
import { socialRoutes } from '../social-routes.js'

/** 线索: `/api/leads`. */
const id = idOf

export const handler = apiFunction([
  ...crudRoutes('leads', {
    record: Lead,
    input: LeadInput,
    patch: LeadInput.omit({ assigneeId: true }),
    filter: LeadFilter,
    page: Page(Lead).extend({ total: z.int().nullable() }),
    created: LeadCreated,
    list: listLeads,
    get: (session, leadId) => getRecord(Leads, session, leadId),
    create: createLead,
    update: updateLead,
    remove: removeLead,
  }),
  route({
    method: 'POST',
    path: '/api/leads/{id}/assign',
    status: 200,
    roles: ['manager', 'admin'],
    body: LeadAssignInput,
    response: Lead,
    handler: ({ session, params, body }) => assignLead(session, id(params), body.assigneeId),
  }),
  route({
    method: 'POST',
    path: '/api/leads/{id}/convert',
    status: 200,
    body: ConvertInput,
    response: ConvertResult,
    handler: ({ session, params, body }) => convertLead(session, id(params), body),
  }),
  route({
    method: 'POST',
    path: '/api/leads/{id}/invalid',
    status: 200,
    body: LeadInvalidInput,
    response: Lead,
    handler: ({ session, params, body }) => markInvalid(session, id(params), body.reason),
  }),
  route({
    method: 'GET',
    path: '/api/leads/{id}/timeline',
    query: TimelineQuery,
    response: Page(Activity),
    handler: async ({ session, params, query }) => {
      await getRecord(Leads, session, id(params))
      return timeline(session, { tag: TAG.lead, id: id(params) }, query)
    },
  }),
  ...socialRoutes('leads', async (session, leadId) => {
    const lead = await getRecord(Leads, session, leadId)
    return {
      tag: TAG.lead,
      recordType: 'leads',
      recordId: lead.id,
      label: lead.title,
      timeline: { tag: TAG.lead, id: lead.id },
    }
  }),
])
