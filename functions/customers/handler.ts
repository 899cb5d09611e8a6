import * as z from 'zod'
import {
  Activity,
  AssignInput,
  CategoryInput,
  CollaboratorsInput,
  Contact,
  ContactFilter,
  ContactInput,
  Customer,
  CustomerFilter,
  CustomerInput,
  CustomerPage,
  CustomerUpdate,
  DuplicateFilter,
  Duplicates,
  FollowUp,
  FollowUpFilter,
  FollowUpInput,
  ListQuery,
  MergeInput,
  MergeResult,
  Page,
  ReleaseInput,
  TimelineQuery,
} from '../../shared/schemas/index.js'
import type { Session } from '../core/context.js'
import { TAG } from '../db/entities/record.js'
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
  customerTimeline,
  getCustomer,
  listCustomers,
  releaseCustomer,
  removeCustomer,
  setCategory,
  setCollaborators,
  updateCustomer,
  viewCustomer,
} from '../domain/customers/index.js'
import { customerDuplicates } from '../domain/search/index.js'
import { mergeCustomers } from '../domain/customers/merge.js'
import { apiFunction } from '../api-function.js'
import { route } from '../http/route.js'
import { socialRoutes } from '../social-routes.js'
import { crudRoutes, idOf } from '../http/crud.js'

/** 客户, 公海, 联系人, 跟进: `/api/customers`, `/api/pool`, `/api/contacts`, `/api/followups`. */

const id = idOf
const TabPage = <T extends z.ZodType>(item: T) => Page(item).extend({ total: z.int().nullable() })

const customerRoutes = [
  ...crudRoutes('customers', {
    record: Customer,
    input: CustomerInput,
    patch: CustomerUpdate,
    filter: CustomerFilter,
    page: CustomerPage,
    list: listCustomers,
    get: viewCustomer,
    create: createCustomer,
    update: updateCustomer,
    remove: removeCustomer,
  }),
  route({
    method: 'GET',
    path: '/api/customers/duplicates',
    query: DuplicateFilter,
    response: Duplicates,
    handler: ({ session, query }) => customerDuplicates(session, query),
  }),
  route({
    method: 'POST',
    path: '/api/customers/merge',
    status: 200,
    body: MergeInput,
    response: MergeResult,
    summary: 'resumable: run the same request again to finish a merge that stopped half-way',
    handler: ({ session, body }) => mergeCustomers(session, body),
  }),
  route({
    method: 'POST',
    path: '/api/customers/{id}/claim',
    status: 200,
    response: Customer,
    handler: ({ session, params }) => claimCustomer(session, id(params)),
  }),
  route({
    method: 'POST',
    path: '/api/customers/{id}/release',
    status: 200,
    body: ReleaseInput,
    response: Customer,
    handler: ({ session, params, body }) => releaseCustomer(session, id(params), body.reason),
  }),
  route({
    method: 'POST',
    path: '/api/customers/{id}/assign',
    status: 200,
    roles: ['manager', 'admin'],
    body: AssignInput,
    response: Customer,
    handler: ({ session, params, body }) => assignCustomer(session, id(params), body.ownerId),
  }),
  route({
    method: 'POST',
    path: '/api/customers/{id}/category',
    status: 200,
    body: CategoryInput,
    response: Customer,
    handler: ({ session, params, body }) => setCategory(session, id(params), body.category),
  }),
  route({
    method: 'PUT',
    path: '/api/customers/{id}/collaborators',
    body: CollaboratorsInput,
    response: Customer,
    handler: ({ session, params, body }) => setCollaborators(session, id(params), body.collaboratorIds),
  }),
  route({
    method: 'GET',
    path: '/api/customers/{id}/timeline',
    query: TimelineQuery,
    response: Page(Activity),
    handler: ({ session, params, query }) => customerTimeline(session, id(params), query),
  }),
  route({
    method: 'GET',
    path: '/api/customers/{id}/contacts',
    query: ListQuery,
    response: TabPage(Contact),
    handler: ({ session, params, query }) => customerTab(session, id(params), Contacts, query),
  }),
  route({
    method: 'GET',
    path: '/api/customers/{id}/followups',
    query: ListQuery,
    response: TabPage(FollowUp),
    handler: ({ session, params, query }) => customerTab(session, id(params), FollowUps, query),
  }),
]

const poolRoutes = [
  route({
    method: 'GET',
    path: '/api/pool',
    query: CustomerFilter,
    response: CustomerPage,
    handler: ({ session, query }) => listCustomers(session, query, { pool: true }),
  }),
  route({
    method: 'POST',
    path: '/api/pool',
    body: CustomerInput,
    response: Customer,
    handler: ({ session, body }) => createCustomer(session, body, { pool: true }),
  }),
]

const contactRoutes = crudRoutes('contacts', {
  record: Contact,
  input: ContactInput,
  patch: ContactInput.omit({ customerId: true }),
  filter: ContactFilter,
  list: (session, query) => listChildren(Contacts, session, query, contactFilter(query)),
  get: viewContact,
  create: createContact,
  update: updateContact,
  remove: (session, contactId) => removeChild(Contacts, session, contactId),
})

const followUpRoutes = crudRoutes('followups', {
  record: FollowUp,
  input: FollowUpInput,
  patch: FollowUpInput.omit({ customerId: true }),
  filter: FollowUpFilter,
  list: (session, query) => listChildren(FollowUps, session, query, followUpFilter(query)),
  get: (session, followUpId) => getChild(FollowUps, session, followUpId),
  create: createFollowUp,
  update: updateFollowUp,
  remove: (session, followUpId) => removeChild(FollowUps, session, followUpId),
})

const customerTarget = async (session: Session, customerId: string) => {
  const customer = await getCustomer(session, customerId)
  return {
    tag: TAG.customer,
    recordType: 'customers',
    recordId: customer.id,
    label: customer.name,
    timeline: { tag: TAG.customer, id: customer.id },
  }
}

export const handler = apiFunction([
  ...customerRoutes,
  ...poolRoutes,
  ...contactRoutes,
  ...followUpRoutes,
  ...socialRoutes('customers', customerTarget),
  ...socialRoutes('contacts', async (session, contactId) => {
    const contact = await getChild(Contacts, session, contactId)
    return {
      ...(await customerTarget(session, contact.customerId)),
      tag: TAG.contact,
      recordType: 'contacts',
      recordId: contact.id,
      label: contact.name,
    }
  }),
  ...socialRoutes('followups', async (session, followUpId) => {
    const followUp = await getChild(FollowUps, session, followUpId)
    return {
      ...(await customerTarget(session, followUp.customerId)),
      tag: TAG.followUp,
      recordType: 'followups',
      recordId: followUp.id,
      label: FollowUps.label(followUp),
    }
  }),
])
