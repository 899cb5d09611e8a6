import * as z from 'zod'
import { Id, Page, Patch, type Role } from '../../shared/schemas/index.js'
import type { Session } from '../core/context.js'
import { type AnyRoute, route } from './route.js'

const IdParams = z.object({ id: Id })
export const idOf = (params: Record<string, string>) => IdParams.parse(params).id

/**
 * The five CRUD routes of a collection whose verbs are the domain's own (scope checks, derived amounts)
 * rather than the generic ones `crudRoutes` calls: same paths, schemas and status codes.
 */
export function verbRoutes<I extends z.ZodObject, U extends z.ZodObject, F extends z.ZodType>(
  path: string,
  spec: {
    record: z.ZodType
    input: I
    /** what a PATCH may change (default: the input) */
    patch?: U
    filter: F
    writeRoles?: Role[]
    list(session: Session, query: z.output<F>): Promise<unknown>
    get(session: Session, id: string): Promise<unknown>
    create(session: Session, body: z.output<I>): Promise<unknown>
    update(session: Session, id: string, body: Partial<z.output<U>> & { version: number }): Promise<unknown>
    remove(session: Session, id: string): Promise<unknown>
  },
): AnyRoute[] {
  const base = `/api/${path}`
  const { record, input, filter, writeRoles } = spec
  return [
    route({
      method: 'GET',
      path: base,
      query: filter,
      response: Page(record),
      handler: ({ query, session }) => spec.list(session, query as z.output<F>),
    }),
    route({
      method: 'POST',
      path: base,
      roles: writeRoles,
      body: input,
      response: record,
      handler: ({ body, session }) => spec.create(session, body as z.output<I>),
    }),
    route({
      method: 'GET',
      path: `${base}/{id}`,
      response: record,
      handler: ({ params, session }) => spec.get(session, idOf(params)),
    }),
    route({
      method: 'PATCH',
      path: `${base}/{id}`,
      roles: writeRoles,
      body: Patch(spec.patch ?? input),
      response: record,
      handler: ({ params, body, session }) =>
        spec.update(session, idOf(params), body as Partial<z.output<U>> & { version: number }),
    }),
    route({
      method: 'DELETE',
      path: `${base}/{id}`,
      roles: writeRoles,
      status: 204,
      handler: ({ params, session }) => spec.remove(session, idOf(params)),
    }),
  ]
}
