import { recycleBin } from '../../shared/contract/recycle-bin.js'
import { listBin, restore } from '../domain/recycle-bin/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

export const handler = apiFunction([
  serve(recycleBin.list, ({ query, session }) => listBin(session, query)),
  serve(recycleBin.restore, ({ params, session }) => restore(session, params.collection, params.id)),
])
