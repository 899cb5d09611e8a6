import { route } from './route.js'

export const openapi = {
  document: route({
    method: 'GET',
    path: '/api/openapi.json',
    public: true,
    summary: 'the OpenAPI 3.1 contract of every route, generated from these declarations',
  }),
}
