import * as z from 'zod'
import type { Route } from '../../shared/contract/route.js'

/**
 * The OpenAPI document of the declared routes (shared/contract), generated from their zod schemas (the same ones the
 * apps use), so the published contract cannot drift from the code.
 */
const jsonSchema = (schema: z.ZodType) =>
  // The wire form is a codec's input side (money in yuan), for requests and responses alike.
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' })

const ErrorBody = jsonSchema(
  z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) }),
)

export function openApiDocument(routes: Route[]) {
  const paths: Record<string, Record<string, unknown>> = {}
  for (const route of routes) {
    const parameters = [
      ...[...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...queryParameters(route.query),
    ]
    const status = String(route.status ?? (route.method === 'POST' ? 201 : 200))
    paths[route.path] ??= {}
    paths[route.path][route.method.toLowerCase()] = {
      summary: route.summary,
      security: route.public ? [] : [{ bearer: [] }],
      ...(route.roles && { 'x-roles': route.roles }),
      ...(parameters.length && { parameters }),
      ...(route.body && {
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } },
      }),
      responses: {
        [status]:
          status === '204'
            ? { description: 'No Content' }
            : {
                description: 'OK',
                ...(route.response && {
                  content: { 'application/json': { schema: jsonSchema(route.response) } },
                }),
              },
        default: { description: '错误', content: { 'application/json': { schema: ErrorBody } } },
      },
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: '钉钉 CRM API', version: '1.0.0' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  }
}

function queryParameters(query: z.ZodType | undefined) {
  if (!query) return []
  const schema = jsonSchema(query) as { properties?: Record<string, unknown>; required?: string[] }
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }))
}
