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
  Id,
  ListQuery,
  MergeInput,
  MergeResult,
  Page,
  Patch,
  ReleaseInput,
  TimelineQuery,
} from '../../shared/schemas/index.js'
import type { Session } from '../core/context.js'
import { TAG } from '../db/entities/record.js'
import { timeline } from '../domain/activity.js'
import {
  contactFilter,
  Contacts,
  createContact,
  createFollowUp,
  customerTab,
  followUpFilter,
  FollowUps,
  getChild,
  listChildren,
  removeChild,
  updateContact,
  updateFollowUp,
} from '../domain/children.js'
import {
  assignCustomer,
  claimCustomer,
  createCustomer,
  getCustomer,
  listCustomers,
  releaseCustomer,
  removeCustomer,
  setCategory,
  setCollaborators,
  updateCustomer,
} from '../domain/customers.js'
import { customerDuplicates } from '../domain/finder.js'
import { mergeCustomers } from '../domain/merge.js'
import { createFunction, route } from '../http/route.js'
import { socialRoutes } from '../http/social.js'

/** 客户, 公海, 联系人, 跟进: `/api/customers`, `/api/pool`, `/api/contacts`, `/api/followups`. */

const id = (params: Record<string, string>) => z.object({ id: Id }).parse(params).id
const TabPage = <T extends z.ZodType>(item: T) => Page(item).extend({ total: z.int().nullable() })

const customerRoutes = [
  route({
    method: 'GET',
    path: '/api/customers',
    query: CustomerFilter,
    response: CustomerPage,
    handler: ({ session, query }) => listCustomers(session, query),
  }),
  route({
    method: 'POST',
    path: '/api/customers',
    body: CustomerInput,
    response: Customer,
    handler: ({ session, body }) => createCustomer(session, body),
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
    method: 'GET',
    path: '/api/customers/{id}',
    response: Customer,
    handler: ({ session, params }) => getCustomer(session, id(params)),
  }),
  route({
    method: 'PATCH',
    path: '/api/customers/{id}',
    body: Patch(CustomerUpdate),
    response: Customer,
    handler: ({ session, params, body }) => updateCustomer(session, id(params), body),
  }),
  route({
    method: 'DELETE',
    path: '/api/customers/{id}',
    status: 204,
    handler: ({ session, params }) => removeCustomer(session, id(params)),
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
    handler: async ({ session, params, query }) => {
      await getCustomer(session, id(params))
      return timeline(session, { tag: TAG.customer, id: id(params) }, query)
    },
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

const ContactPatch = Patch(ContactInput.omit({ customerId: true }))
const FollowUpPatch = Patch(FollowUpInput.omit({ customerId: true }))

const contactRoutes = [
  route({
    method: 'GET',
    path: '/api/contacts',
    query: ContactFilter,
    response: Page(Contact),
    handler: ({ session, query }) => listChildren(Contacts, session, query, contactFilter(query)),
  }),
  route({
    method: 'POST',
    path: '/api/contacts',
    body: ContactInput,
    response: Contact,
    handler: ({ session, body }) => createContact(session, body),
  }),
  route({
    method: 'GET',
    path: '/api/contacts/{id}',
    response: Contact,
    handler: ({ session, params }) => getChild(Contacts, session, id(params)),
  }),
  route({
    method: 'PATCH',
    path: '/api/contacts/{id}',
    body: ContactPatch,
    response: Contact,
    handler: ({ session, params, body }) => updateContact(session, id(params), body),
  }),
  route({
    method: 'DELETE',
    path: '/api/contacts/{id}',
    status: 204,
    handler: ({ session, params }) => removeChild(Contacts, session, id(params)),
  }),
]

const followUpRoutes = [
  route({
    method: 'GET',
    path: '/api/followups',
    query: FollowUpFilter,
    response: Page(FollowUp),
    handler: ({ session, query }) => listChildren(FollowUps, session, query, followUpFilter(query)),
  }),
  route({
    method: 'POST',
    path: '/api/followups',
    body: FollowUpInput,
    response: FollowUp,
    handler: ({ session, body }) => createFollowUp(session, body),
  }),
  route({
    method: 'GET',
    path: '/api/followups/{id}',
    response: FollowUp,
    handler: ({ session, params }) => getChild(FollowUps, session, id(params)),
  }),
  route({
    method: 'PATCH',
    path: '/api/followups/{id}',
    body: FollowUpPatch,
    response: FollowUp,
    handler: ({ session, params, body }) => updateFollowUp(session, id(params), body),
  }),
  route({
    method: 'DELETE',
    path: '/api/followups/{id}',
    status: 204,
    handler: ({ session, params }) => removeChild(FollowUps, session, id(params)),
  }),
]

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

export const handler = createFunction([
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
