import { LoginInput, LoginResult, Me } from '../schemas/index.js'
import { route } from './route.js'

export const auth = {
  login: route({
    method: 'POST',
    path: '/api/auth/login',
    public: true,
    status: 200,
    summary: 'exchange a DingTalk auth code for a session token',
    body: LoginInput,
    response: LoginResult,
  }),
  me: route({ method: 'GET', path: '/api/me', response: Me }),
}
