import { LoginInput, LoginResult, Me } from '../../shared/schemas/index.js'
import { login, me } from '../domain/directory/index.js'
import { apiFunction } from '../api-function.js'
import { route } from '../http/route.js'

export const handler = apiFunction([
  route({
    method: 'POST',
    path: '/api/auth/login',
    public: true,
    status: 200,
    summary: 'exchange a DingTalk auth code for a session token',
    body: LoginInput,
    response: LoginResult,
    handler: ({ body }) => login(body),
  }),
  route({ method: 'GET', path: '/api/me', response: Me, handler: ({ session }) => me(session) }),
])
