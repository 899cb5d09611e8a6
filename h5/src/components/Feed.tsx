import { useCallback, useEffect, useState } from 'react'
import { Button } from 'dingtalk-design-mobile'
import { Link } from 'react-router-dom'
import type { Activity } from '../../../shared/schemas/index.js'
import { FEED_EMPTY, FEED_SCOPES, feedH5Path, feedRow, formatDateTime } from '../../../shared/view/index.js'
import { api } from '../api.js'
import { errorMessage } from './hooks.js'

/**
 * 工作台 动态: the newest activity across the records the caller may see (`GET /api/feed`), each line
 * naming who did what, opening its record; 「我的」 narrows it to the caller's own records (shared/view/feed.ts).
 * A failed load says so, with 重试 (not an empty feed).
 */
export function Feed() {
  const [items, setItems] = useState<Activity[] | undefined>(undefined)
  const [cursor, setCursor] = useState<string | null>(null)
  const [mine, setMine] = useState(false)
  const [error, setError] = useState('')

  const load = useCallback(
    async (from?: string) => {
      setError('')
      try {
        const page = await api.feed.list({ limit: 10, cursor: from, ...(mine && { mine: true }) })
        setItems((current) => (from ? [...(current ?? []), ...page.items] : page.items))
        setCursor(page.nextCursor)
      } catch (failure) {
        setError(errorMessage(failure))
      }
    },
    [mine],
  )
  useEffect(() => {
    void load()
  }, [load])

  return (
    <div className="feed">
      <div className="feed-scope" role="tablist">
        {FEED_SCOPES.map(({ mine: value, label }) => (
          <button
            key={label}
            type="button"
            role="tab"
            aria-selected={mine === value}
            className={mine === value ? 'tab tab-on' : 'tab'}
            onClick={() => setMine(value)}
          >
            {label}
          </button>
        ))}
      </div>
      {error ? (
        <div className="muted home-empty feed-failed" role="alert">
          {error}{' '}
          <Button size="small" onClick={() => void load()}>
            重试
          </Button>
        </div>
      ) : items?.length === 0 ? (
        <div className="muted home-empty">{FEED_EMPTY}</div>
      ) : null}
      <ul className="home-list feed-items">
        {(items ?? []).map((a) => (
          <li key={a.id} className={`activity activity-${a.action}`}>
            <Link to={feedH5Path(feedRow(a).id) ?? '#'}>
              <span className="home-item-title">
                <b>{a.actorName}</b> {a.summary}
              </span>
              <span className="muted">{formatDateTime(a.at)}</span>
            </Link>
          </li>
        ))}
      </ul>
      {cursor ? (
        <div className="table-more">
          <Button size="small" onClick={() => void load(cursor)}>
            加载更多
          </Button>
        </div>
      ) : null}
    </div>
  )
}
