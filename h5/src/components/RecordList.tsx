import { useCallback, useEffect, useRef, useState } from 'react'
import { InfiniteScroll, List, SearchBar, Toast } from 'dingtalk-design-mobile'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import {
  dateRangePresets,
  listCount,
  listPresets,
  mayCreate,
  rowBrief,
  type PickFilterView,
  type ViewCollection,
} from '../../../shared/view/index.js'
import { rememberName, useNames } from '../names.js'
import { session } from '../session.js'
import { rowActions } from '../records/actions.js'
import { ListDataTools } from '../records/data-tools.js'
import { BulkBar, listBulkActions } from '../records/bulk.js'
import type { AnyRecord, ListFilter, Resource } from '../resources.js'
import { errorMessage, useWide } from './hooks.js'
import { Page } from './Page.js'
import { useUserOptions } from './Pickers.js'
import { PullToRefresh } from './PullToRefresh.js'
import { ApprovalTag, RecordTable } from './RecordTable.js'
import { OptionSheet } from './Sheet.js'
import { EmptyState, FailedState, Loading } from './Status.js'

/** A filter picked from users, departments or stages: a chip that opens the picker. */
function PickFilter(props: { filter: PickFilterView; value: string | null; onChange: (v?: string) => void }) {
  const [open, setOpen] = useState(false)
  const { directory } = useNames()
  const users = useUserOptions()
  const { filter } = props
  const options =
    filter.kind === 'user'
      ? users
      : filter.kind === 'dept'
        ? directory?.depts.map((d) => ({ value: d.id, label: d.name }))
        : directory?.stages.map((s) => ({ value: s.id, label: s.name }))
  const name = props.value ? (options?.find((o) => o.value === props.value)?.label ?? props.value) : '全部'
  return (
    <span className="pick-filter">
      <button
        type="button"
        className={props.value ? 'chip chip-on' : 'chip'}
        onClick={() => setOpen(true)}
        aria-label={`${filter.label}：${name}`}
      >
        {filter.label}：{name} ▾
      </button>
      {props.value ? (
        <button
          type="button"
          className="chip-clear"
          aria-label={`清除${filter.label}`}
          onClick={() => props.onChange()}
        >
          ×
        </button>
      ) : null}
      <OptionSheet
        title={`按${filter.label}筛选`}
        open={open}
        onClose={() => setOpen(false)}
        options={options}
        selected={props.value ? [props.value] : []}
        onPick={([value]) => props.onChange(value)}
      />
    </span>
  )
}

const PAGE_SIZE = 20

interface ListState {
  items: AnyRecord[]
  cursor: string | null
  /** a total, only when the API gives one (cursor pages usually have none) */
  total?: number
  loaded: boolean
  /** why the first page could not be read: shown with 重试, never as an empty list */
  failed?: string
}

/**
 * A collection's list: search bar and filter chips (kept in the URL, so 返回 restores them), then a list
 * with pull-to-refresh and load-more on a phone, or a table with the view's columns on a PC.
 */
export function RecordList({ resource }: { resource: Resource }) {
  const { view, client } = resource
  const wide = useWide()
  const { names } = useNames()
  const [filtersOpen, setFiltersOpen] = useState(false)
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const filterKey = params.toString()
  const [state, setState] = useState<ListState>({ items: [], cursor: null, loaded: false })
  const [loadingMore, setLoadingMore] = useState(false)
  /** the PC table's selected rows (for the bulk toolbar) */
  const [selected, setSelected] = useState<string[]>([])
  // answers of an older search must not overwrite the current one
  const generation = useRef(0)

  /** what the list shows now: its search and filters (also what 导出 exports) */
  const currentFilter = useCallback(() => {
    const search = new URLSearchParams(filterKey)
    const filter: ListFilter = {
      ...listPresets[view.collection as ViewCollection]?.filter,
      q: search.get('q') || undefined,
    }
    const names = [
      ...(view.filters ?? []).map((f) => f.name),
      ...(view.pickFilters ?? []).map((f) => f.name),
      ...(view.dateFilters ?? []).flatMap((f) => [f.from, f.to]),
    ]
    for (const name of names) filter[name] = search.get(name) ?? undefined
    // a column header picked the order (客户: 最近跟进日期), where the API sorts by it
    const sort = search.get('sort')
    if (sort && view.sorts?.includes(sort)) filter.sort = sort
    return filter
  }, [view, filterKey])

  const fetchPage = useCallback(
    (cursor?: string) => client.list({ ...currentFilter(), limit: PAGE_SIZE, cursor }),
    [client, currentFilter],
  )

  const reload = useCallback(async () => {
    const mine = ++generation.current
    try {
      const page = await fetchPage()
      if (mine === generation.current)
        setState({ items: page.items, cursor: page.nextCursor, total: page.total, loaded: true })
      for (const record of page.items) rememberName(view.collection, record.id, view.title(record))
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, loaded: true, failed: errorMessage(error) }))
    }
  }, [fetchPage])

  useEffect(() => {
    setState({ items: [], cursor: null, loaded: false })
    setSelected([])
    void reload()
  }, [reload])

  const loadMore = async () => {
    if (!state.cursor) return
    const mine = generation.current
    setLoadingMore(true)
    try {
      const page = await fetchPage(state.cursor)
      if (mine === generation.current)
        setState((s) => ({ ...s, items: [...s.items, ...page.items], cursor: page.nextCursor }))
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    } finally {
      setLoadingMore(false)
    }
  }

  const setParam = (name: string, value: string | undefined) => setParamsTo({ [name]: value })
  const setParamsTo = (values: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params)
    for (const [name, value] of Object.entries(values)) {
      if (value) next.set(name, value)
      else next.delete(name)
    }
    setParams(next, { replace: true })
  }
  const activeFilters =
    [
      ...(view.filters ?? []).map((f) => f.name),
      ...(view.pickFilters ?? []).map((f) => f.name),
      ...(view.dateFilters ?? []).map((f) => f.from),
    ].filter((name) => params.get(name)).length +
    (view.dateFilters ?? []).filter((f) => !params.get(f.from) && params.get(f.to)).length
  const hasFilters = Boolean(view.filters?.length || view.pickFilters?.length || view.dateFilters?.length)
  const rowAction = rowActions[view.collection]

  // 共有 N 条记录: the API's count where it keeps one, else the rows read (all of them once no page is left)
  const count =
    state.loaded && !state.failed
      ? listCount({ total: state.total, loaded: state.items.length, more: state.cursor !== null })
      : undefined
  const empty = state.loaded && !state.failed && state.items.length === 0 && !state.cursor
  const retry = () => {
    setState({ items: [], cursor: null, loaded: false })
    void reload()
  }
  const open = (record: AnyRecord) => navigate(`/${view.collection}/${record.id}`)

  const filterBar = (
    <div className="filter-bar">
      {(view.filters ?? []).map((filter) => (
        <div className="filter-row" key={filter.name} role="group" aria-label={filter.label}>
          <span className="filter-label">{filter.label}</span>
          {[['', '全部'], ...Object.entries(filter.options)].map(([value, label]) => (
            <button
              type="button"
              key={value}
              className={(params.get(filter.name) ?? '') === value ? 'chip chip-on' : 'chip'}
              onClick={() => setParam(filter.name, value || undefined)}
            >
              {label}
            </button>
          ))}
        </div>
      ))}
      {(view.dateFilters ?? []).map((filter) => {
        const from = params.get(filter.from) ?? undefined
        const to = params.get(filter.to) ?? undefined
        const presets = dateRangePresets(filter.presets)
        return (
          <div className="filter-row" key={filter.from} role="group" aria-label={filter.label}>
            <span className="filter-label">{filter.label}</span>
            {[{ key: '', label: '全部', from: undefined, to: undefined }, ...presets].map((preset) => (
              <button
                type="button"
                key={preset.key}
                className={preset.from === from && preset.to === to ? 'chip chip-on' : 'chip'}
                onClick={() => setParamsTo({ [filter.from]: preset.from, [filter.to]: preset.to })}
              >
                {preset.label}
              </button>
            ))}
          </div>
        )
      })}
      {view.pickFilters?.length ? (
        <div className="filter-row">
          {view.pickFilters.map((filter) => (
            <PickFilter
              key={filter.name}
              filter={filter}
              value={params.get(filter.name)}
              onChange={(value) => setParam(filter.name, value)}
            />
          ))}
        </div>
      ) : null}
    </div>
  )

  const toolbar = (
    <div className="list-toolbar">
      <SearchBar
        defaultValue={q}
        placeholder={view.searchPlaceholder}
        onSubmit={(value) => setParam('q', value.trim() || undefined)}
        onClear={() => setParam('q', undefined)}
        onCancel={() => setParam('q', undefined)}
      />
      {hasFilters && !wide ? (
        <button type="button" className="filter-toggle" onClick={() => setFiltersOpen((o) => !o)}>
          筛选{activeFilters ? `（${activeFilters}）` : ''} {filtersOpen ? '▴' : '▾'}
        </button>
      ) : null}
      {wide || filtersOpen ? filterBar : null}
      <ListDataTools list={view.collection} filter={currentFilter} />
      {/* a PC table says it in its footer, beside 加载更多 */}
      {count && !wide ? (
        <div className="list-count" role="status">
          {count}
        </div>
      ) : null}
    </div>
  )

  /** the column the table is sorted by (the API's default order unless a header picked another) */
  const sortedBy = view.sorts && (view.sorts.find((s) => s === params.get('sort')) ?? view.sorts[0])
  const selectable = wide && listBulkActions(view.collection).length > 0
  const titleOf = (id: string) => {
    const record = state.items.find((r) => r.id === id)
    return record ? view.title(record) : id
  }

  return (
    <Page
      title={listPresets[view.collection as ViewCollection]?.title ?? view.noun}
      right={
        // no 新建 for a role the API would refuse after the whole form was filled in
        mayCreate(view.collection as ViewCollection, session.user()?.role) ? (
          <Link className="nav-action" to={`/${view.collection}/new`}>
            新建
          </Link>
        ) : undefined
      }
    >
      {toolbar}
      {selectable ? (
        <BulkBar
          list={view.collection}
          selected={selected}
          nameOf={titleOf}
          onClear={() => setSelected([])}
          onDone={reload}
        />
      ) : null}
      {!state.loaded ? (
        <Loading />
      ) : state.failed ? (
        <FailedState message={state.failed} onRetry={retry} />
      ) : empty ? (
        <EmptyState title={q ? '没有找到匹配的记录' : `还没有${view.noun}`} />
      ) : wide ? (
        <RecordTable
          view={view}
          items={state.items}
          count={count}
          more={state.cursor ? { loading: loadingMore, onMore: loadMore } : undefined}
          selection={selectable ? { selected, onChange: setSelected } : undefined}
          sort={{
            by: sortedBy,
            onSort: (name) => setParam('sort', name === view.sorts?.[0] ? undefined : name),
          }}
          rowAction={rowAction && ((record) => rowAction(record, reload))}
        />
      ) : (
        <PullToRefresh onRefresh={reload}>
          <List className="record-list">
            {state.items.map((record) => (
              <List.Item
                key={record.id}
                arrow={rowAction ? undefined : 'horizontal'}
                brief={rowBrief(view, record, names)}
                extra={
                  rowAction ? (
                    <span onClick={(e) => e.stopPropagation()}>{rowAction(record, reload)}</span>
                  ) : undefined
                }
                onClick={() => open(record)}
              >
                {view.title(record)}
                <ApprovalTag record={record} />
              </List.Item>
            ))}
          </List>
          {state.loaded ? (
            <InfiniteScroll hasMore={state.cursor !== null} loadMore={loadMore}>
              <div className="list-end">{state.cursor !== null ? '加载中…' : '没有更多了'}</div>
            </InfiniteScroll>
          ) : null}
        </PullToRefresh>
      )}
    </Page>
  )
}
