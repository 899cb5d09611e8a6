import { SearchQuery, SearchResult } from '../schemas/index.js'
import { route } from './route.js'

/** 全文检索. */
export const search = {
  find: route({ method: 'GET', path: '/api/search', query: SearchQuery, response: SearchResult }),
}
