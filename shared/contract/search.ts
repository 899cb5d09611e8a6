import { Names, NamesQuery, SearchQuery, SearchResult } from '../schemas/index.js'
import { route } from './route.js'

/** 全文检索. */
export const search = {
  find: route({ method: 'GET', path: '/api/search', query: SearchQuery, response: SearchResult }),
}

/** The names of the records a list page links to, in one call rather than one read per row. */
export const names = {
  find: route({ method: 'GET', path: '/api/names', query: NamesQuery, response: Names }),
}
