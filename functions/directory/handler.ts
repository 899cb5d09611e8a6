import { depts, users } from '../../shared/contract/directory.js'
import { listDepts, listUsers, setRole } from '../domain/directory/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

export const handler = apiFunction([
  serve(users.list, ({ query, session }) => listUsers(session, query)),
  serve(users.setRole, ({ params, body, session }) => setRole(session, params.id, body.role)),
  serve(depts.list, ({ query, session }) => listDepts(session, query)),
])
