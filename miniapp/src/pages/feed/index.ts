import { FEED_SCOPES, feedMiniPage, feedRow } from '../../../../shared/view/feed.js'
import { api } from '../../api/session.js'
import { ddApi, definePage } from '../../host.js'
import { listPage } from '../../lib/list-page.js'

/** 工作台 动态, all of it (shared/view/feed.ts): newest first, 全部 or 我的, each row opening its record. */
definePage(
  listPage(
    {
      title: '动态',
      searchPlaceholder: '',
      filters: [{ name: 'mine', label: FEED_SCOPES[0].label, options: { true: FEED_SCOPES[1].label } }],
      fetch: ({ cursor, limit, mine }) =>
        api().feed.list({ limit, cursor, ...(mine === 'true' && { mine: true }) }),
      row: feedRow,
    },
    {
      onItemTap(id: string) {
        const url = feedMiniPage(id)
        if (url) ddApi().navigateTo({ url })
      },
    },
  ),
)
