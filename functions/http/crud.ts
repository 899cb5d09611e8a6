import * as z from 'zod'
import { Id, Page, Patch, type Role } from '../../shared/schemas/index.js'
import type { Collection, StoredRecord } from '../db/collection.js'
import { createRecord, getRecord, listRecords, removeRecord, updateRecord } from '../db/records.js'
import type { Filter } from '../db/filter.js'
import { type AnyRoute, route } from './route.js'

const IdParams = z.object({ id: Id })

/**
 * The CRUD routes of a collection, from its shared schemas: list (filters + keyset paging), get,
 * create (Idempotency-Key aware), versioned PATCH, DELETE into the recycle bin.
 */
export function crudRoutes<
  R extends StoredRecord,
  I extends z.ZodObject,
  F extends z.ZodType<{ limit: number; cursor?: string }>,
>(
  collection: Collection<R>,
  options: {
    input: I
    filter: F
    /** the query's filters as a DynamoDB filter condition */
    where?: (query: z.output<F>) => Filter | undefined
    /** roles that may create, update and delete (default: everyone) */
    writeRoles?: Role[]
  },
): AnyRoute[] {
  const base = `/api/${collection.path}`
  const { input, filter, where, writeRoles } = options
  return [
    route({
      method: 'GET',
      path: base,
      query: filter,
      response: Page(collection.schema),
      handler: ({ query, session }) =>
        listRecords(collection, session, {
          limit: query.limit,
          cursor: query.cursor,
          filter: where?.(query as z.output<F>),
        }),
    }),
    route({
      method: 'POST',
      path: base,
      roles: writeRoles,
      body: input,
      response: collection.schema,
      handler: ({ body, session }) => createRecord(collection, session, body as Omit<R, keyof StoredRecord>),
    }),
    route({
      method: 'GET',
      path: `${base}/{id}`,
      response: collection.schema,
      handler: ({ params, session }) => getRecord(collection, session, IdParams.parse(params).id),
    }),
    route({
      method: 'PATCH',
      path: `${base}/{id}`,
      roles: writeRoles,
      body: Patch(input),
      response: collection.schema,
      handler: ({ params, body, session }) =>
        updateRecord(
          collection,
          session,
          IdParams.parse(params).id,
          body as { version: number } & Partial<R>,
        ),
    }),
    route({
      method: 'DELETE',
      path: `${base}/{id}`,
      roles: writeRoles,
      status: 204,
      handler: ({ params, session }) => removeRecord(collection, session, IdParams.parse(params).id),
    }),
  ]
}
