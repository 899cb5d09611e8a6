import { Dept, DeptFilter, Page, RoleInput, User, UserFilter } from '../../shared/schemas/index.js'
import { listDepts, listUsers, setRole } from '../domain/directory/index.js'
import { apiFunction } from '../api-function.js'
import { idOf } from '../http/crud.js'
import { route } from '../http/route.js'

export const handler = apiFunction([
  route({
    method: 'GET',
    path: '/api/users',
    query: UserFilter,
    response: Page(User),
    handler: ({ query, session }) => listUsers(session, query),
  }),
  route({
    method: 'PUT',
    path: '/api/users/{id}/role',
    roles: ['admin'],
    body: RoleInput,
    response: User,
    handler: ({ params, body, session }) => setRole(session, idOf(params), body.role),
  }),
  route({
    method: 'GET',
    path: '/api/depts',
    query: DeptFilter,
    response: Page(Dept),
    handler: ({ query, session }) => listDepts(session, query),
  }),
])
