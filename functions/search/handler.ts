import { names as nameRoutes, search as searchRoutes } from '../../shared/contract/search.js'
import { splitRefs } from '../../shared/schemas/index.js'
import { recordNames } from '../domain/names/index.js'
import { search } from '../domain/search/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

/** 全文检索 (`GET /api/search?q=`) and the names of linked records (`GET /api/names?refs=`). */
export const handler = apiFunction([
  serve(searchRoutes.find, ({ session, query }) => search(session, query)),
  serve(nameRoutes.find, ({ session, query }) => recordNames(session, splitRefs(query.refs))),
])
