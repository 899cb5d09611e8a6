import { Dept, DeptFilter, Page, RoleInput, User, UserFilter } from '../schemas/index.js'
import { route } from './route.js'

export const users = {
  list: route({ method: 'GET', path: '/api/users', query: UserFilter, response: Page(User) }),
  setRole: route({
    method: 'PUT',
    path: '/api/users/{id}/role',
    roles: ['admin'],
    body: RoleInput,
    response: User,
  }),
}

export const depts = {
  list: route({ method: 'GET', path: '/api/depts', query: DeptFilter, response: Page(Dept) }),
}
