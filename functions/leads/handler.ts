import { leads } from '../../shared/contract/leads.js'
import { social } from '../../shared/contract/social.js'
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
import { crudRoutes } from '../http/crud.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'
import { socialRoutes } from '../social-routes.js'

/** 线索: `/api/leads`. */
export const handler = apiFunction([
  ...crudRoutes(leads, {
    list: listLeads,
    get: (session, leadId) => getRecord(Leads, session, leadId),
    create: createLead,
    update: updateLead,
    remove: removeLead,
  }),
  serve(leads.assign, ({ session, params, body }) => assignLead(session, params.id, body.assigneeId)),
  serve(leads.convert, ({ session, params, body }) => convertLead(session, params.id, body)),
  serve(leads.markInvalid, ({ session, params, body }) => markInvalid(session, params.id, body.reason)),
  serve(leads.timeline, async ({ session, params, query }) => {
    await getRecord(Leads, session, params.id)
    return timeline(session, { tag: TAG.lead, id: params.id }, query)
  }),
  ...socialRoutes(social.leads, async (session, leadId) => {
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
