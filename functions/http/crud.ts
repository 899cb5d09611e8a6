import * as z from 'zod'
import { Id, Page, Patch, type Role } from '../../shared/schemas/index.js'
import type { Session } from '../core/context.js'
import { type AnyRoute, route } from './route.js'

const IdParams = z.object({ id: Id })
export const idOf = (params: Record<string, string>) => IdParams.parse(params).id

/** The five verbs behind a collection's CRUD routes. */
export interface CrudVerbs<F, I, U> {
  list(session: Session, query: F): Promise<unknown>
  get(session: Session, id: string): Promise<unknown>
  create(session: Session, body: I): Promise<unknown>
  update(session: Session, id: string, body: Partial<U> & { version: number }): Promise<unknown>
  remove(session: Session, id: string): Promise<unknown>
}

/**
 * The one route factory: the CRUD routes of a collection from its shared schemas and its verbs — list
 * (filters + keyset paging), get, create (Idempotency-Key aware), versioned PATCH, DELETE into the
 * recycle bin. Plain collections take the generic record verbs from their domain (`productVerbs`);
 * domains with scope rules or derived amounts pass their own.
 */
export function crudRoutes<I extends z.ZodObject, U extends z.ZodObject, F extends z.ZodType>(
  path: string,
  spec: {
    record: z.ZodType
    input: I
    /** what a PATCH may change (default: the input) */
    patch?: U
    filter: F
    /** the list answer (default: `Page(record)`) */
    page?: z.ZodType
    /** the create answer (default: the record) */
    created?: z.ZodType
    writeRoles?: Role[]
  } & CrudVerbs<z.output<F>, z.output<I>, z.output<U>>,
): AnyRoute[] {
  const base = `/api/${path}`
  const { record, input, filter, writeRoles } = spec
  return [
    route({
      method: 'GET',
      path: base,
      query: filter,
      response: spec.page ?? Page(record),
      handler: ({ query, session }) => spec.list(session, query as z.output<F>),
    }),
    route({
      method: 'POST',
      path: base,
      roles: writeRoles,
      body: input,
      response: spec.created ?? record,
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
      body: Patch(spec.patch ?? input, record),
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
