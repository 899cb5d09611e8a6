import { auth } from '../../shared/contract/auth.js'
import { login, loginByScan, me, scanLoginStart } from '../domain/directory/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

export const handler = apiFunction([
  serve(auth.login, ({ body }) => login(body)),
  serve(auth.scanLoginUrl, ({ query }) => scanLoginStart(query.redirect)),
  serve(auth.scanLogin, ({ body }) => loginByScan(body)),
  serve(auth.me, ({ session }) => me(session)),
])
