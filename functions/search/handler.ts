import { search as searchRoutes } from '../../shared/contract/search.js'
import { feed as feedRoutes } from '../../shared/contract/social.js'
import { feed } from '../domain/activity/index.js'
import { search } from '../domain/search/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

/** 全文检索 (`GET /api/search?q=`) and 工作台 动态 (`GET /api/feed`): the reads across every collection. */
export const handler = apiFunction([
  serve(searchRoutes.find, ({ session, query }) => search(session, query)),
  serve(feedRoutes.list, ({ session, query }) => feed(session, query)),
])
