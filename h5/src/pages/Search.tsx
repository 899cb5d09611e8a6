import { useCallback, useEffect, useState } from 'react'
import { List, SearchBar } from 'dingtalk-design-mobile'
import { useNavigate, useSearchParams } from 'react-router-dom'
import { h5Path } from '../../../shared/nouns.js'
import { searchProblem, searchRow, SEARCH_PLACEHOLDER, type SearchRow } from '../../../shared/view/index.js'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { Page } from '../components/Page.js'
import { EmptyState, FailedState, Loading } from '../components/Status.js'

type Answer =
  | { state: 'idle' }
  | { state: 'loading' }
  | { state: 'done'; rows: SearchRow[] }
  | { state: 'failed'; error: string }

/** 全文检索 on a phone: the query stays in the URL, so 返回 from a hit shows the same results. */
export default function Search() {
  const navigate = useNavigate()
  const [params, setParams] = useSearchParams()
  const q = params.get('q') ?? ''
  const [answer, setAnswer] = useState<Answer>({ state: 'idle' })

  const run = useCallback(() => {
    if (searchProblem(q)) return setAnswer({ state: 'idle' })
    setAnswer({ state: 'loading' })
    api.search.find({ q: q.trim(), limit: 50 }).then(
      (result) => setAnswer({ state: 'done', rows: result.items.map(searchRow) }),
      (error: unknown) => setAnswer({ state: 'failed', error: errorMessage(error) }),
    )
  }, [q])
  useEffect(run, [run])

  return (
    <Page title="全文检索">
      <SearchBar
        defaultValue={q}
        placeholder={SEARCH_PLACEHOLDER}
        onSubmit={(value) => setParams(value.trim() ? { q: value.trim() } : {}, { replace: true })}
        onClear={() => setParams({}, { replace: true })}
      />
      {answer.state === 'idle' ? (
        <EmptyState title="输入名称或电话搜索" desc="至少 2 个字符，电话可输入任意连续 4 位" />
      ) : answer.state === 'loading' ? (
        <Loading text="正在搜索…" />
      ) : answer.state === 'failed' ? (
        <FailedState message={answer.error} onRetry={run} />
      ) : answer.rows.length === 0 ? (
        <EmptyState title={`没有找到「${q}」`} desc="换个关键词试试" />
      ) : (
        <>
          <div className="list-count">共有 {answer.rows.length} 条记录</div>
          <List className="record-list search-results">
            {answer.rows.map((row) => (
              <List.Item
                key={row.key}
                arrow="horizontal"
                brief={row.brief}
                onClick={() => navigate(h5Path(row.collection, row.id))}
              >
                <span className="tag">{row.tag}</span> {row.title}
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Page>
  )
}
