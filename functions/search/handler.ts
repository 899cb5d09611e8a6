import { search as searchRoutes } from '../../shared/contract/search.js'
import { search } from '../domain/search/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

/** 全文检索: `GET /api/search?q=`. */
export const handler = apiFunction([serve(searchRoutes.find, ({ session, query }) => search(session, query))])
