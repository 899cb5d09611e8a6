import { openApiDocument } from '../http/openapi.js'
import { apiFunction } from '../api-function.js'
import { route, type AnyRoute } from '../http/route.js'
import { functions } from '../registry.js'

let document: unknown

export const handler = apiFunction([
  route({
    method: 'GET',
    path: '/api/openapi.json',
    public: true,
    summary: 'the OpenAPI 3.1 contract of every route served, generated from the shared zod schemas',
    handler: async () => {
      if (!document) {
        const routes: AnyRoute[] = []
        for (const fn of Object.values(functions)) routes.push(...(await fn.load()).handler.routes)
        document = openApiDocument(routes)
      }
      return document
    },
  }),
])
