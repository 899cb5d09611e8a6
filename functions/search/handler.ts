import { SearchQuery, SearchResult } from '../../shared/schemas/index.js'
import { search } from '../domain/search/index.js'
import { apiFunction } from '../api-function.js'
import { route } from '../http/route.js'

/** 全文检索: `GET /api/search?q=`. */
export const handler = apiFunction([
  route({
    method: 'GET',
    path: '/api/search',
    query: SearchQuery,
    response: SearchResult,
    handler: ({ session, query }) => search(session, query),
  }),
])
