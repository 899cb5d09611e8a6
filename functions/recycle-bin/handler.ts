import * as z from 'zod'
import { BinEntry, BinFilter, Id, Page } from '../../shared/schemas/index.js'
import { listBin, restore } from '../domain/recycle-bin/index.js'
import { apiFunction } from '../api-function.js'
import { route } from '../http/route.js'

const RestoreParams = z.object({ collection: z.string().max(40), id: Id })

export const handler = apiFunction([
  route({
    method: 'GET',
    path: '/api/recycle-bin',
    query: BinFilter,
    response: Page(BinEntry),
    handler: ({ query, session }) => listBin(session, query),
  }),
  route({
    method: 'POST',
    path: '/api/recycle-bin/{collection}/{id}/restore',
    status: 200,
    summary: 'restore a deleted record; answers the record as it now is',
    handler: ({ params, session }) => {
      const { collection, id } = RestoreParams.parse(params)
      return restore(session, collection, id)
    },
  }),
])
