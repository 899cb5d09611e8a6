import * as z from 'zod'
import {
  Activity,
  ConvertInput,
  ConvertResult,
  Id,
  Lead,
  LeadAssignInput,
  LeadCreated,
  LeadFilter,
  LeadInput,
  LeadInvalidInput,
  Page,
  Patch,
  TimelineQuery,
} from '../../shared/schemas/index.js'
import { TAG } from '../db/entities/record.js'
import { getRecord } from '../db/records.js'
import { timeline } from '../domain/activity.js'
import {
  assignLead,
  convertLead,
  createLead,
  Leads,
  listLeads,
  markInvalid,
  removeLead,
  updateLead,
} from '../domain/leads.js'
import { createFunction, route } from '../http/route.js'
import { socialRoutes } from '../http/social.js'

/** 线索: `/api/leads`. */
const id = (params: Record<string, string>) => z.object({ id: Id }).parse(params).id

export const handler = createFunction([
  route({
    method: 'GET',
    path: '/api/leads',
    query: LeadFilter,
    response: Page(Lead).extend({ total: z.int().nullable() }),
    handler: ({ session, query }) => listLeads(session, query),
  }),
  route({
    method: 'POST',
    path: '/api/leads',
    body: LeadInput,
    response: LeadCreated,
    handler: ({ session, body }) => createLead(session, body),
  }),
  route({
    method: 'GET',
    path: '/api/leads/{id}',
    response: Lead,
    handler: ({ session, params }) => getRecord(Leads, session, id(params)),
  }),
  route({
    method: 'PATCH',
    path: '/api/leads/{id}',
    body: Patch(LeadInput.omit({ assigneeId: true })),
    response: Lead,
    handler: ({ session, params, body }) => updateLead(session, id(params), body),
  }),
  route({
    method: 'DELETE',
    path: '/api/leads/{id}',
    status: 204,
    handler: ({ session, params }) => removeLead(session, id(params)),
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
