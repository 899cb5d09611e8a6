import * as z from 'zod'
import { Id, Page, Patch, type Role } from '../schemas/common.js'
import { FieldCollection } from '../schemas/fields.js'

/**
 * A route, declared once: the functions bind a verb to it (functions/http/route.ts `serve`), the API
 * client derives its call from it (shared/api/client.ts), `/api/openapi.json` documents it.
 */
export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** `/api/customers/{id}/claim`: each `{name}` is a path parameter, an `Id` unless `params` says else */
  path: string
  summary?: string
  /** no session needed (login, health) */
  public?: true
  /** roles allowed; others get 403 */
  roles?: readonly Role[]
  /** path parameters that are not ids (`{collection}`); one that does not parse is a 404 */
  params?: z.ZodObject
  query?: z.ZodType
  body?: z.ZodType
  /** decodes the answer (money yuan → fen) and documents it; the server encodes with it */
  response?: z.ZodType
  /** default: 201 for POST, else 200 */
  status?: number
  /** the route takes a multipart/form-data upload instead of JSON (`api.upload`) */
  multipart?: true
  /** the answer is a file, opened by its URL (`api.url`) rather than read as JSON */
  download?: true
  /**
   * the collection whose custom fields (字段管理) the route takes: a list's `custom.<key>` filters, a
   * create's or patch's `custom` values (checked against the tenant's definitions by the server)
   */
  fields?: FieldCollection
}

/** A declaration, its literal path and schemas kept in its type (the client's calls are typed from them). */
export const route = <const R extends Route>(declaration: R): R => declaration

/** The names of a path's parameters, in path order: `'/api/{collection}/{id}'` → `['collection', 'id']`. */
export type ParamNames<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? [Name, ...ParamNames<Rest>]
  : []

export const paramNames = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => name)

/** The schema of a route's path parameters: each an `Id` unless the route's `params` says else. */
export const paramsSchema = (route: Route) =>
  z.object({
    ...Object.fromEntries(paramNames(route.path).map((name) => [name, Id])),
    ...route.params?.shape,
  })

/** A route's path parameters as the handler and the client see them. */
export type Params<R extends Route> = {
  [N in ParamNames<R['path']>[number]]: R extends { params: z.ZodObject }
    ? N extends keyof z.output<R['params']>
      ? z.output<R['params']>[N]
      : string
    : string
}

/** A collection's CRUD routes: list (filters + keyset paging), create, get, versioned PATCH, DELETE. */
export function crud<
  const Path extends string,
  Item extends z.ZodType,
  Input extends z.ZodObject,
  Filter extends z.ZodType,
  Update extends z.ZodObject = Input,
  List extends z.ZodType = ReturnType<typeof Page<Item>>,
  Created extends z.ZodType = Item,
>(
  path: Path,
  spec: {
    record: Item
    input: Input
    /** what a PATCH may change (default: the input) */
    patch?: Update
    filter: Filter
    /** the list answer (default: `Page(record)`) */
    page?: List
    /** the create answer (default: the record) */
    created?: Created
    writeRoles?: readonly Role[]
  },
) {
  const base = `/api/${path}` as const
  const { record, input, filter, writeRoles: roles } = spec
  const fields = FieldCollection.safeParse(path).data
  return {
    list: route({
      method: 'GET',
      path: base,
      query: filter,
      response: (spec.page ?? Page(record)) as List,
      fields,
    }),
    create: route({
      method: 'POST',
      path: base,
      roles,
      fields,
      body: input,
      response: (spec.created ?? record) as Created,
    }),
    get: route({ method: 'GET', path: `${base}/{id}`, response: record }),
    update: route({
      method: 'PATCH',
      path: `${base}/{id}`,
      roles,
      fields,
      body: Patch((spec.patch ?? input) as Update, record),
      response: record,
    }),
    remove: route({ method: 'DELETE', path: `${base}/{id}`, roles, status: 204 }),
  }
}
export type CrudRoutes = ReturnType<typeof crud>

export const isRoute = (value: unknown): value is Route =>
  !!value && typeof (value as Route).method === 'string' && typeof (value as Route).path === 'string'

/** Every route declared in a (nested) group of declarations. */
export const routesOf = (group: object): Route[] =>
  Object.values(group).flatMap((value) => (isRoute(value) ? [value] : routesOf(value as object)))
