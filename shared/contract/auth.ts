import {
  LoginInput,
  LoginResult,
  Me,
  ScanLoginInput,
  ScanLoginQuery,
  ScanLoginStart,
} from '../schemas/index.js'
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
  scanLoginUrl: route({
    method: 'GET',
    path: '/api/auth/dingtalk-login-url',
    public: true,
    summary: '扫码登录: the DingTalk OAuth2 page to send a PC browser to, and the state it returns with',
    query: ScanLoginQuery,
    response: ScanLoginStart,
  }),
  scanLogin: route({
    method: 'POST',
    path: '/api/auth/login/oauth',
    public: true,
    status: 200,
    summary: '扫码登录: exchange the code DingTalk redirected back with for a session token',
    body: ScanLoginInput,
    response: LoginResult,
  }),
  me: route({ method: 'GET', path: '/api/me', response: Me }),
}
