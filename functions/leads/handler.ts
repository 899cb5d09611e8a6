import { leads } from '../../shared/contract/leads.js'
import { social } from '../../shared/contract/social.js'
import {
  assignLead,
  convertLead,
  createLead,
  getLead,
  leadTarget,
  listLeads,
  markInvalid,
  removeLead,
  updateLead,
} from '../domain/leads/index.js'
import { crudRoutes } from '../http/crud.js'
import { bulk } from '../domain/bulk/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'
import { socialRoutes } from '../social-routes.js'

/** 线索: `/api/leads`. */
export const handler = apiFunction([
  ...crudRoutes(leads, {
    list: listLeads,
    get: getLead,
    create: createLead,
    update: updateLead,
    remove: removeLead,
  }),
  serve(leads.assign, ({ session, params, body }) => assignLead(session, params.id, body.assigneeId)),
  serve(leads.bulk.assign, ({ session, body }) =>
    bulk(body.ids, (id) => assignLead(session, id, body.assigneeId)),
  ),
  serve(leads.bulk.delete, ({ session, body }) => bulk(body.ids, (id) => removeLead(session, id))),
  serve(leads.convert, ({ session, params, body }) => convertLead(session, params.id, body)),
  serve(leads.markInvalid, ({ session, params, body }) => markInvalid(session, params.id, body.reason)),
  ...socialRoutes(social.leads, leadTarget),
])
