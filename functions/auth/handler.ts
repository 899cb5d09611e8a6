import { auth } from '../../shared/contract/auth.js'
import { login, me } from '../domain/directory.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

export const handler = apiFunction([
  serve(auth.login, ({ body }) => login(body)),
  serve(auth.me, ({ session }) => me(session)),
])
