import type { Page as ResultPage } from '../../../shared/schemas/index.js'
import { ddApi, type PageInstance } from '../host.js'
import type { RowView } from '../modules/types.js'
import { errorText } from './errors.js'
import { takeStale } from './stale.js'

export const PAGE_SIZE = 20

/** Where a list's rows come from and what a tap on one does. */
export interface ListSource<T> {
  title: string
  searchPlaceholder: string
  fetch(args: { q?: string; cursor?: string; limit: number }): Promise<ResultPage<T>>
  row(item: T): RowView
  /** the page a row opens (`?id=` is added) */
  detailPage?: string
  /** the page the + button opens */
  formPage?: string
  /** refreshed on show after `markStale(staleKey)` */
  staleKey?: string
}

export interface ListData {
  title: string
  searchPlaceholder: string
  canCreate: boolean
  q: string
  rows: RowView[]
  cursor: string | null
  hasMore: boolean
  /** page 1 has arrived at least once */
  loaded: boolean
  loading: boolean
  loadingMore: boolean
  empty: boolean
  error: string
}

type ListThis = PageInstance<ListData>

/**
 * A searchable, paged list page (pull down to refresh, load more at the bottom, empty state), in the
 * shape `Page()` takes. `methods` adds or overrides handlers (e.g. the recycle bin's tap).
 */
export function listPage<T, M extends object = object>(
  source: ListSource<T>,
  methods?: M & ThisType<ListThis>,
) {
  // The newest request per page instance: an answer to an older one (a refresh overtook it) is dropped.
  const latest = new WeakMap<object, number>()
  let requests = 0

  async function fetchInto(page: ListThis, append: boolean): Promise<void> {
    const request = ++requests
    latest.set(page, request)
    page.setData(append ? { loadingMore: true, error: '' } : { loading: true, error: '' })
    try {
      const result = await source.fetch({
        q: page.data.q.trim() || undefined,
        cursor: append ? (page.data.cursor ?? undefined) : undefined,
        limit: PAGE_SIZE,
      })
      if (latest.get(page) !== request) return
      const rows = [...(append ? page.data.rows : []), ...result.items.map(source.row)]
      page.setData({
        rows,
        cursor: result.nextCursor,
        hasMore: result.nextCursor !== null,
        loaded: true,
        loading: false,
        loadingMore: false,
        empty: rows.length === 0,
      })
    } catch (error) {
      if (latest.get(page) !== request) return
      page.setData({ loading: false, loadingMore: false, error: errorText(error) })
    }
  }

  return {
    data: {
      title: source.title,
      searchPlaceholder: source.searchPlaceholder,
      canCreate: Boolean(source.formPage),
      q: '',
      rows: [],
      cursor: null,
      hasMore: false,
      loaded: false,
      loading: false,
      loadingMore: false,
      empty: false,
      error: '',
    } as ListData,
    onLoad(this: ListThis, query: { q?: string } = {}) {
      if (query.q) this.setData({ q: query.q })
      return fetchInto(this, false)
    },
    onShow(this: ListThis) {
      if (this.data.loaded && source.staleKey && takeStale(source.staleKey)) return fetchInto(this, false)
    },
    async onPullDownRefresh(this: ListThis) {
      await fetchInto(this, false)
      ddApi().stopPullDownRefresh()
    },
    onReachBottom(this: ListThis) {
      const { hasMore, loading, loadingMore } = this.data
      if (hasMore && !loading && !loadingMore) return fetchInto(this, true)
    },
    onRetry(this: ListThis) {
      return fetchInto(this, this.data.loaded && this.data.rows.length > 0)
    },
    onSearchInput(this: ListThis, value: string) {
      this.setData({ q: value })
    },
    onSearchSubmit(this: ListThis, value: string) {
      this.setData({ q: value ?? this.data.q })
      return fetchInto(this, false)
    },
    onSearchClear(this: ListThis) {
      this.setData({ q: '' })
      return fetchInto(this, false)
    },
    onItemTap(this: ListThis, id: string) {
      if (source.detailPage) ddApi().navigateTo({ url: `${source.detailPage}?id=${encodeURIComponent(id)}` })
    },
    onCreate(this: ListThis) {
      if (source.formPage) ddApi().navigateTo({ url: source.formPage })
    },
    ...methods,
  }
}
