import {
  AssignInput,
  BulkAssignInput,
  BulkCategoryInput,
  BulkInput,
  BulkReleaseInput,
  CategoryInput,
  CollaboratorsInput,
  Contact,
  Contract,
  CountedPage,
  Customer,
  CustomerFilter,
  CustomerInput,
  CustomerPage,
  CustomerUpdate,
  DuplicateFilter,
  Duplicates,
  FollowUp,
  ListQuery,
  MergeInput,
  MergeResult,
  Opportunity,
  Page,
  ReleaseInput,
} from '../schemas/index.js'
import { bulkRoute } from './bulk.js'
import { printRoutes } from './print.js'
import { crud, route } from './route.js'

/** 客户: CRUD, the pool verbs (claim, release, assign), 查重, 合并, the detail page's tabs. */
export const customers = {
  ...crud('customers', {
    record: Customer,
    input: CustomerInput,
    patch: CustomerUpdate,
    filter: CustomerFilter,
    page: CustomerPage,
  }),
  duplicates: route({
    method: 'GET',
    path: '/api/customers/duplicates',
    query: DuplicateFilter,
    response: Duplicates,
  }),
  merge: route({
    method: 'POST',
    path: '/api/customers/merge',
    status: 200,
    body: MergeInput,
    response: MergeResult,
    summary: 'resumable: run the same request again to finish a merge that stopped half-way',
  }),
  claim: route({ method: 'POST', path: '/api/customers/{id}/claim', status: 200, response: Customer }),
  release: route({
    method: 'POST',
    path: '/api/customers/{id}/release',
    status: 200,
    body: ReleaseInput,
    response: Customer,
  }),
  assign: route({
    method: 'POST',
    path: '/api/customers/{id}/assign',
    status: 200,
    roles: ['manager', 'admin'],
    body: AssignInput,
    response: Customer,
  }),
  setCategory: route({
    method: 'POST',
    path: '/api/customers/{id}/category',
    status: 200,
    body: CategoryInput,
    response: Customer,
  }),
  setCollaborators: route({
    method: 'PUT',
    path: '/api/customers/{id}/collaborators',
    body: CollaboratorsInput,
    response: Customer,
  }),
  ...printRoutes('customers'),
  /** 批量 经理调整 / 返回公海 / 分类调整 / 删除 */
  bulk: {
    assign: bulkRoute('customers/bulk/assign', BulkAssignInput, ['manager', 'admin']),
    release: bulkRoute('customers/bulk/release', BulkReleaseInput),
    category: bulkRoute('customers/bulk/category', BulkCategoryInput),
    delete: bulkRoute('customers/bulk/delete', BulkInput),
  },
  contacts: route({
    method: 'GET',
    path: '/api/customers/{id}/contacts',
    query: ListQuery,
    response: CountedPage(Contact),
  }),
  followUps: route({
    method: 'GET',
    path: '/api/customers/{id}/followups',
    query: ListQuery,
    response: CountedPage(FollowUp),
  }),
  /** the 商机 and 合同 tabs (API.md): the customer's, within the caller's scope */
  opportunities: route({
    method: 'GET',
    path: '/api/customers/{id}/opportunities',
    query: ListQuery,
    response: Page(Opportunity),
  }),
  contracts: route({
    method: 'GET',
    path: '/api/customers/{id}/contracts',
    query: ListQuery,
    response: Page(Contract),
  }),
}

/** 公海: the customers nobody owns. */
export const pool = {
  list: route({
    method: 'GET',
    path: '/api/pool',
    query: CustomerFilter,
    response: CustomerPage,
    fields: 'customers',
  }),
  create: route({
    method: 'POST',
    path: '/api/pool',
    body: CustomerInput,
    response: Customer,
    fields: 'customers',
  }),
}
