import { useCallback, useEffect, useRef, useState } from 'react'
import { Button, InfiniteScroll, List, SearchBar, Toast } from 'dingtalk-design-mobile'
import { Link, useNavigate, useSearchParams } from 'react-router-dom'
import { displayValue, fieldOf, formatCount } from '../../../shared/view/index.js'
import type { AnyRecord, ListFilter, Resource } from '../resources.js'
import { errorMessage, useWide } from './hooks.js'
import { Page } from './Page.js'
import { PullToRefresh } from './PullToRefresh.js'
import { EmptyState } from './Status.js'

const PAGE_SIZE = 20

interface ListState {
  items: AnyRecord[]
  cursor: string | null
  /** a total, only when the API gives one (cursor pages usually have none) */
  total?: number
  loaded: boolean
}

/**
 * A collection's list: search bar and filter chips (kept in the URL, so 返回 restores them), then a list
 * with pull-to-refresh and load-more on a phone, or a table with the view's columns on a PC.
 */
export function RecordList({ resource }: { resource: Resource }) {
  const { view, client } = resource
  const wide = useWide()
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const filterKey = params.toString()
  const [state, setState] = useState<ListState>({ items: [], cursor: null, loaded: false })
  const [loadingMore, setLoadingMore] = useState(false)
  // answers of an older search must not overwrite the current one
  const generation = useRef(0)

  const fetchPage = useCallback(
    (cursor?: string) => {
      const search = new URLSearchParams(filterKey)
      const filter: ListFilter = { limit: PAGE_SIZE, cursor, q: search.get('q') || undefined }
      for (const f of view.filters ?? []) filter[f.name] = search.get(f.name) ?? undefined
      return client.list(filter)
    },
    [client, view, filterKey],
  )

  const reload = useCallback(async () => {
    const mine = ++generation.current
    try {
      const page = await fetchPage()
      if (mine === generation.current)
        setState({ items: page.items, cursor: page.nextCursor, total: page.total, loaded: true })
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ ...s, loaded: true }))
      Toast.fail({ content: errorMessage(error) })
    }
  }, [fetchPage])

  useEffect(() => {
    setState({ items: [], cursor: null, loaded: false })
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

  const setParam = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params)
    if (value) next.set(name, value)
    else next.delete(name)
    setParams(next, { replace: true })
  }

  const count = formatCount(state.total)
  const empty = state.loaded && state.items.length === 0 && !state.cursor
  const open = (record: AnyRecord) => navigate(`/${view.collection}/${record.id}`)

  const toolbar = (
    <div className="list-toolbar">
      <SearchBar
        defaultValue={q}
        placeholder={view.searchPlaceholder}
        onSubmit={(value) => setParam('q', value.trim() || undefined)}
        onClear={() => setParam('q', undefined)}
        onCancel={() => setParam('q', undefined)}
      />
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
      {count ? <div className="list-count">{count}</div> : null}
    </div>
  )

  const columns = view.columns.map((name) => fieldOf(view, name)!).filter(Boolean)

  return (
    <Page
      title={view.noun}
      right={
        <Link className="nav-action" to={`/${view.collection}/new`}>
          新建
        </Link>
      }
    >
      {toolbar}
      {empty ? (
        <EmptyState title={q ? '没有找到匹配的记录' : `还没有${view.noun}`} />
      ) : wide ? (
        <div className="table-wrap">
          <table className="record-table">
            <thead>
              <tr>
                {columns.map((field) => (
                  <th key={field.name}>{field.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {state.items.map((record) => (
                <tr key={record.id} onClick={() => open(record)}>
                  {columns.map((field, i) => (
                    <td key={field.name}>
                      {i === 0 ? (
                        <Link to={`/${view.collection}/${record.id}`} onClick={(e) => e.stopPropagation()}>
                          {view.title(record)}
                        </Link>
                      ) : (
                        displayValue(field, record[field.name])
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {state.cursor ? (
            <div className="table-more">
              <Button size="small" loading={loadingMore} onClick={loadMore}>
                加载更多
              </Button>
            </div>
          ) : null}
        </div>
      ) : (
        <PullToRefresh onRefresh={reload}>
          <List className="record-list">
            {state.items.map((record) => (
              <List.Item
                key={record.id}
                arrow="horizontal"
                brief={view.brief?.(record)}
                onClick={() => open(record)}
              >
                {view.title(record)}
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
