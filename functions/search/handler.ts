import { names as nameRoutes, search as searchRoutes } from '../../shared/contract/search.js'
import { feed as feedRoutes } from '../../shared/contract/social.js'
import { splitRefs } from '../../shared/schemas/index.js'
import { feed } from '../domain/activity/index.js'
import { recordNames } from '../domain/names/index.js'
import { search } from '../domain/search/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

/**
 * The reads across every collection: 全文检索 (`GET /api/search?q=`), the names of linked records
 * (`GET /api/names?refs=`) and 工作台 动态 (`GET /api/feed`).
 */
export const handler = apiFunction([
  serve(searchRoutes.find, ({ session, query }) => search(session, query)),
  serve(nameRoutes.find, ({ session, query }) => recordNames(session, splitRefs(query.refs))),
  serve(feedRoutes.list, ({ session, query }) => feed(session, query)),
])
