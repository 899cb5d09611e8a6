import { dateRangePresets, formatCount } from '../../../shared/view/format.js'
import type { DateFilterView, FilterView, PickFilterView } from '../../../shared/view/record-view.js'
import { ddApi, type PageInstance } from '../host.js'
import type { ListResult, RowView } from '../modules/types.js'
import { errorText } from './errors.js'
import { choicesFor } from './names.js'
import { takeStale } from './stale.js'

export const PAGE_SIZE = 20

type Query = Record<string, string | number | boolean | undefined>

/** Where a list's rows come from and what a tap on one does. */
export interface ListSource<T> {
  title: string
  searchPlaceholder: string
  fetch(args: Query & { q?: string; cursor?: string; limit: number }): Promise<ListResult<T>>
  row(item: T): RowView
  /** the page a row opens (`?id=` is added) */
  detailPage?: string
  /** the page the + button opens */
  formPage?: string
  /** whether the signed-in person may create one (default: yes); asked when the page loads */
  mayCreate?: () => boolean
  /** refreshed on show after `markStale(staleKey)` */
  staleKey?: string
  /** pickers above the list: the shared view's filters, then its date ranges (最近跟进: 近 7 天...) */
  filters?: readonly FilterView[]
  /** pickers whose options are the API's users, departments or stages (客户经理, 销售阶段) */
  pickFilters?: readonly PickFilterView[]
  dateFilters?: readonly DateFilterView[]
  /** query fields every request carries (`assigneeId` of 我的线索...) */
  fixed?: Query
  /** links above the rows (查重, 导入, 导出); 导出 runs `exportList` with the list's current query */
  tools?: ListTool[]
  exportList?(query: Query): Promise<void>
}

/** A link above a list's rows: a page (`url`) or, for `export`, the list as a file. */
export interface ListTool {
  key: string
  label: string
  url?: string
}

/** A filter as its picker shows it: 全部 first. */
export interface FilterChoice {
  name: string
  label: string
  options: string[]
  /** the query value of each option after 全部 (none for date ranges: their presets say) */
  values: string[]
  index: number
  text: string
}

export interface ListData {
  title: string
  searchPlaceholder: string
  canCreate: boolean
  tools: ListTool[]
  /** a button on each row (公海: 领取), handled by `onRowAction(id)` */
  rowAction: string
  q: string
  filters: FilterChoice[]
  rows: RowView[]
  /** "共有 N 条记录" (the API's kept count where it gives one) */
  summary: string
  total: number | null
  cursor: string | null
  hasMore: boolean
  /** page 1 has arrived at least once */
  loaded: boolean
  loading: boolean
  loadingMore: boolean
  empty: boolean
  error: string
}

export type ListThis = PageInstance<ListData>

/** What a page's own handlers may call on the list besides its data. */
export interface ListActions {
  /** reloads page one (after an action changed the list) */
  reload(): Promise<void>
  /** drops a row an action took off the list (claimed, restored...) and counts it out of the total */
  removeRow(id: string): void
}

function filterChoices<T>(source: ListSource<T>): FilterChoice[] {
  const fromViews = (source.filters ?? []).map((f) => ({
    name: f.name,
    label: f.label,
    options: ['全部', ...Object.values(f.options)],
    values: Object.keys(f.options),
  }))
  // users, departments, stages: their options arrive from the API after the page opens
  const fromApi = (source.pickFilters ?? []).map((f) => ({
    name: f.name,
    label: f.label,
    options: ['全部'],
    values: [],
  }))
  const fromRanges = (source.dateFilters ?? []).map((r) => ({
    name: r.from,
    label: r.label,
    options: ['全部', ...dateRangePresets(r.presets).map((p) => p.label)],
    values: [],
  }))
  return [...fromViews, ...fromApi, ...fromRanges].map((f) => ({ ...f, index: 0, text: f.label }))
}

/** The query the chosen filters stand for. */
function filterQuery<T>(source: ListSource<T>, choices: FilterChoice[]): Query {
  const query: Query = {}
  for (const choice of choices) {
    if (choice.index === 0) continue
    if (choice.values.length) query[choice.name] = choice.values[choice.index - 1]
    const range = source.dateFilters?.find((r) => r.from === choice.name)
    // presets are computed from today when the list loads, not when the page opened
    const preset = range && dateRangePresets(range.presets)[choice.index - 1]
    if (range && preset) {
      query[range.from] = preset.from
      query[range.to] = preset.to
    }
  }
  return query
}

const summaryOf = (rows: number, hasMore: boolean, total: number | null | undefined) =>
  formatCount(total ?? undefined) ?? `共有 ${rows}${hasMore ? '+' : ''} 条记录`

/**
 * A searchable, filterable, paged list page (pull down to refresh, load more at the bottom, empty state),
 * in the shape `Page()` takes. `methods` adds or overrides handlers (e.g. the pool's 领取).
 */
export function listPage<T, M extends object = object>(
  source: ListSource<T>,
  methods?: M & ThisType<ListThis & ListActions & M>,
) {
  /** Fills the options of the API-backed filters; one that fails to load keeps only 全部. */
  async function loadPickOptions(page: ListThis) {
    for (const f of source.pickFilters ?? []) {
      const choices = await choicesFor({ name: f.name, label: f.label, kind: f.kind }).catch(() => [])
      page.setData({
        filters: page.data.filters.map((c) =>
          c.name === f.name
            ? { ...c, options: ['全部', ...choices.map((x) => x.name)], values: choices.map((x) => x.id) }
            : c,
        ),
      })
    }
  }

  // The newest request per page instance: an answer to an older one (a refresh overtook it) is dropped.
  const latest = new WeakMap<object, number>()
  let requests = 0

  /** what the list shows now: its fixed query, the chosen filters, the search */
  const queryOf = (page: ListThis): Query => ({
    ...source.fixed,
    ...filterQuery(source, page.data.filters),
    q: page.data.q.trim() || undefined,
  })

  async function fetchInto(page: ListThis, append: boolean): Promise<void> {
    const request = ++requests
    latest.set(page, request)
    page.setData(append ? { loadingMore: true, error: '' } : { loading: true, error: '' })
    try {
      const result = await source.fetch({
        ...queryOf(page),
        cursor: append ? (page.data.cursor ?? undefined) : undefined,
        limit: PAGE_SIZE,
      })
      if (latest.get(page) !== request) return
      const rows = [...(append ? page.data.rows : []), ...result.items.map(source.row)]
      // the count comes with page 1 only
      const total = append ? page.data.total : (result.total ?? null)
      const hasMore = result.nextCursor !== null
      page.setData({
        rows,
        total,
        summary: summaryOf(rows.length, hasMore, total),
        cursor: result.nextCursor,
        hasMore,
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
      tools: source.tools ?? [],
      rowAction: '',
      q: '',
      filters: filterChoices(source),
      rows: [],
      summary: '',
      total: null,
      cursor: null,
      hasMore: false,
      loaded: false,
      loading: false,
      loadingMore: false,
      empty: false,
      error: '',
    } as ListData,
    onLoad(this: ListThis, query: { q?: string } = {}) {
      if (query.q) this.setData({ q: decodeURIComponent(query.q) })
      if (source.mayCreate && !source.mayCreate()) this.setData({ canCreate: false })
      void loadPickOptions(this)
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
    reload(this: ListThis) {
      return fetchInto(this, false)
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
    /** a filter picker changed: `data-name`, the chosen index (0 = 全部) */
    onFilterPick(
      this: ListThis,
      event: { currentTarget: { dataset: { name: string } }; detail: { value: number } },
    ) {
      const index = Number(event.detail.value)
      const filters = this.data.filters.map((f) =>
        f.name === event.currentTarget.dataset.name
          ? { ...f, index, text: index === 0 ? f.label : f.options[index] }
          : f,
      )
      this.setData({ filters })
      return fetchInto(this, false)
    },
    removeRow(this: ListThis, id: string) {
      const rows = this.data.rows.filter((r) => r.id !== id)
      const total = this.data.total === null ? null : Math.max(0, this.data.total - 1)
      this.setData({
        rows,
        total,
        summary: summaryOf(rows.length, this.data.hasMore, total),
        empty: rows.length === 0 && !this.data.hasMore,
      })
    },
    onItemTap(this: ListThis, id: string) {
      if (source.detailPage) ddApi().navigateTo({ url: `${source.detailPage}?id=${encodeURIComponent(id)}` })
    },
    onRowAction(this: ListThis, _id: string) {},
    /** a link above the rows (`data-key`): its page, or 导出 of what the list shows */
    onTool(this: ListThis, event: { currentTarget: { dataset: { key: string } } }) {
      const tool = this.data.tools.find((t) => t.key === event.currentTarget.dataset.key)
      if (tool?.url) ddApi().navigateTo({ url: tool.url })
      else if (tool?.key === 'export') return source.exportList?.(queryOf(this))
    },
    onCreate(this: ListThis) {
      if (source.formPage) ddApi().navigateTo({ url: source.formPage })
    },
    ...methods,
  }
}
