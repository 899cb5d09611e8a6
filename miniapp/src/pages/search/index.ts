import {
  searchHitPage,
  searchProblem,
  searchRow,
  SEARCH_PLACEHOLDER,
} from '../../../../shared/view/search.js'
import { api } from '../../api/session.js'
import { ddApi, definePage } from '../../host.js'
import { listPage } from '../../lib/list-page.js'

/** 全文检索: names and phone numbers across customers, contacts, leads, opportunities and contracts. */
definePage(
  listPage(
    {
      title: '记录',
      searchPlaceholder: SEARCH_PLACEHOLDER,
      // nothing typed yet (or too short): no call, the page says what to type
      fetch: async ({ q = '' }) =>
        searchProblem(q)
          ? { items: [], nextCursor: null }
          : { ...(await api().search.find({ q: q.trim(), limit: 50 })), nextCursor: null },
      row: (hit) => {
        const row = searchRow(hit)
        return { id: row.key, title: row.title, brief: row.brief }
      },
    },
    {
      onItemTap(id: string) {
        const url = searchHitPage(id)
        if (url) ddApi().navigateTo({ url })
      },
    },
  ),
)
