import { useCallback, useEffect, useState } from 'react'
import { Button } from 'dingtalk-design-mobile'
import { Link } from 'react-router-dom'
import { h5Path, isCollection } from '../../../shared/nouns.js'
import type { Activity } from '../../../shared/schemas/index.js'
import { formatDateTime } from '../../../shared/view/index.js'
import { api } from '../api.js'

/**
 * 工作台 动态: the newest activity across the records the caller may see (`GET /api/feed`), each line
 * naming who did what, opening its record; 「我的」 narrows it to the caller's own records.
 */
export function Feed() {
  const [items, setItems] = useState<Activity[] | undefined>(undefined)
  const [cursor, setCursor] = useState<string | null>(null)
  const [mine, setMine] = useState(false)

  const load = useCallback(
    async (from?: string) => {
      const page = await api.feed.list({ limit: 10, cursor: from, ...(mine && { mine: true }) })
      setItems((current) => (from ? [...(current ?? []), ...page.items] : page.items))
      setCursor(page.nextCursor)
    },
    [mine],
  )
  useEffect(() => {
    load().catch(() => setItems([]))
  }, [load])

  return (
    <div className="feed">
      <div className="feed-scope" role="tablist">
        {[
          [false, '全部'],
          [true, '我的'],
        ].map(([value, label]) => (
          <button
            key={String(label)}
            type="button"
            role="tab"
            aria-selected={mine === value}
            className={mine === value ? 'tab tab-on' : 'tab'}
            onClick={() => setMine(value as boolean)}
          >
            {label}
          </button>
        ))}
      </div>
      {items?.length === 0 ? <div className="muted home-empty">还没有动态</div> : null}
      <ul className="home-list feed-items">
        {(items ?? []).map((a) => (
          <li key={a.id} className={`activity activity-${a.action}`}>
            <Link to={isCollection(a.recordType) ? h5Path(a.recordType, a.recordId) : '#'}>
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
