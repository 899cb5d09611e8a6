import { contacts, followUps } from '../../shared/contract/children.js'
import { customers, pool } from '../../shared/contract/customers.js'
import { social } from '../../shared/contract/social.js'
import {
  contactFilter,
  Contacts,
  createContact,
  customerTab,
  getChild,
  listChildren,
  removeChild,
  updateContact,
  viewContact,
} from '../domain/contacts/index.js'
import { createFollowUp, followUpFilter, FollowUps, updateFollowUp } from '../domain/followups/index.js'
import {
  assignCustomer,
  claimCustomer,
  createCustomer,
  Customers,
  customerTimeline,
  listCustomers,
  releaseCustomer,
  removeCustomer,
  setCategory,
  setCollaborators,
  updateCustomer,
  viewCustomer,
} from '../domain/customers/index.js'
import { customerDuplicates } from '../domain/search/index.js'
import { submissions } from '../../shared/contract/approvals.js'
import { resubmit } from '../domain/approvals/submission.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'
import { socialRoutes } from '../social-routes.js'
import { contactTarget, customerTarget, followUpTarget } from '../domain/customers/social.js'
import { crudRoutes } from '../http/crud.js'
import { bulk } from '../domain/bulk/index.js'
import { listOpportunities } from '../domain/opportunities/index.js'
import { listContracts } from '../domain/contracts/index.js'
import { printServed } from '../print-routes.js'

/** 客户, 公海, 联系人, 跟进: `/api/customers`, `/api/pool`, `/api/contacts`, `/api/followups`. */

const customerRoutes = [
  ...crudRoutes(customers, {
    list: listCustomers,
    get: viewCustomer,
    create: createCustomer,
    update: updateCustomer,
    remove: removeCustomer,
  }),
  serve(customers.duplicates, ({ session, query }) => customerDuplicates(session, query)),
  // 合并 is rare: its code is loaded on first use, not by every cold start
  serve(customers.merge, async ({ session, body }) =>
    (await import('../domain/customers/merge.js')).mergeCustomers(session, body),
  ),
  serve(customers.claim, ({ session, params }) => claimCustomer(session, params.id)),
  serve(customers.release, ({ session, params, body }) => releaseCustomer(session, params.id, body.reason)),
  serve(customers.assign, ({ session, params, body }) => assignCustomer(session, params.id, body.ownerId)),
  serve(customers.setCategory, ({ session, params, body }) => setCategory(session, params.id, body.category)),
  serve(customers.setCollaborators, ({ session, params, body }) =>
    setCollaborators(session, params.id, body.collaboratorIds),
  ),
  ...printServed(customers, { check: viewCustomer, render: 'printCustomer' }),
  serve(customers.bulk.assign, ({ session, body }) =>
    bulk(body.ids, (id) => assignCustomer(session, id, body.ownerId)),
  ),
  serve(customers.bulk.release, ({ session, body }) =>
    bulk(body.ids, (id) => releaseCustomer(session, id, body.reason)),
  ),
  serve(customers.bulk.category, ({ session, body }) =>
    bulk(body.ids, (id) => setCategory(session, id, body.category)),
  ),
  serve(customers.bulk.delete, ({ session, body }) => bulk(body.ids, (id) => removeCustomer(session, id))),
  serve(customers.contacts, ({ session, params, query }) => customerTab(session, params.id, Contacts, query)),
  serve(customers.followUps, ({ session, params, query }) =>
    customerTab(session, params.id, FollowUps, query),
  ),
  serve(submissions.customers, ({ session, params }) => resubmit(session, Customers, 'customers', params.id)),
  serve(customers.opportunities, ({ session, params, query }) =>
    listOpportunities(session, { ...query, customerId: params.id }),
  ),
  serve(customers.contracts, ({ session, params, query }) =>
    listContracts(session, { ...query, customerId: params.id }),
  ),
]

const poolRoutes = [
  serve(pool.list, ({ session, query }) => listCustomers(session, query, { pool: true })),
  serve(pool.create, ({ session, body }) => createCustomer(session, body, { pool: true })),
]

const contactRoutes = crudRoutes(contacts, {
  list: (session, query) => listChildren(Contacts, session, query, contactFilter(query)),
  get: viewContact,
  create: createContact,
  update: updateContact,
  remove: (session, contactId) => removeChild(Contacts, session, contactId),
})

const followUpRoutes = crudRoutes(followUps, {
  list: (session, query) => listChildren(FollowUps, session, query, followUpFilter(query)),
  get: (session, followUpId) => getChild(FollowUps, session, followUpId),
  create: createFollowUp,
  update: updateFollowUp,
  remove: (session, followUpId) => removeChild(FollowUps, session, followUpId),
})

export const handler = apiFunction([
  ...customerRoutes,
  ...poolRoutes,
  ...contactRoutes,
  ...followUpRoutes,
  ...socialRoutes(social.customers, customerTarget, customerTimeline),
  ...socialRoutes(social.contacts, contactTarget),
  ...socialRoutes(social.followups, followUpTarget),
])
