import { route } from './route.js'

export const health = {
  check: route({
    method: 'GET',
    path: '/api/health',
    public: true,
    summary: '{ ok: true } once the table is reachable',
  }),
}
