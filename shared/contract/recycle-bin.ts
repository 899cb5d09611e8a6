import * as z from 'zod'
import { BinEntry, BinFilter, Page } from '../schemas/index.js'
import { route } from './route.js'

export const recycleBin = {
  list: route({ method: 'GET', path: '/api/recycle-bin', query: BinFilter, response: Page(BinEntry) }),
  restore: route({
    method: 'POST',
    path: '/api/recycle-bin/{collection}/{id}/restore',
    params: z.object({ collection: z.string().max(40) }),
    status: 200,
    summary: 'restore a deleted record; answers the record as it now is',
  }),
}
