import { useCallback, useEffect, useState } from 'react'
import { Toast } from 'dingtalk-design-mobile'
import { Link } from 'react-router-dom'
import {
  formatDateTime,
  labelOf,
  messageKindLabels,
  recordTypeCollections,
} from '../../../shared/view/index.js'
import { errorMessage } from '../components/hooks.js'
import { Page } from '../components/Page.js'
import { fetchMessages, fetchOrg, type DeliveredCard, type Org } from '../emulator.js'
import { session } from '../session.js'
import { EmptyState } from '../components/Status.js'

/**
 * The H5 route a card's button opens: the mini-program page it names (`pages/lead/detail?id=…` inside a
 * `dingtalk://…open_mini_app?page=…` link) has the same record in the H5 app.
 */
export function h5Route(link: string): string | undefined {
  const page = /[?&]page=([^&]+)/.exec(link)?.[1]
  if (!page) return undefined
  const [pathname, query = ''] = decodeURIComponent(page).split('?')
  const type = /^pages\/([a-z]+)\/detail$/.exec(pathname)?.[1] as
    keyof typeof recordTypeCollections | undefined
  const id = new URLSearchParams(query).get('id')
  const collection = type ? recordTypeCollections[type] : undefined
  return collection && id ? `/${collection}/${encodeURIComponent(id)}` : undefined
}

/**
 * 钉钉模拟器收件箱 (local mode): the work notifications and cards the emulator delivered to a demo user, so
 * a newcomer can watch a reminder arrive. Refreshes every few seconds.
 */
export default function Inbox() {
  const [org, setOrg] = useState<Org | undefined>(undefined)
  const [userId, setUserId] = useState(session.user()?.id ?? 'sales1')
  const [cards, setCards] = useState<DeliveredCard[] | undefined>(undefined)

  const refresh = useCallback(async () => {
    try {
      setCards((await fetchMessages(userId)).items)
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }, [userId])

  useEffect(() => {
    void fetchOrg().then(setOrg)
  }, [])
  useEffect(() => {
    void refresh()
    const timer = window.setInterval(refresh, 5000)
    return () => window.clearInterval(timer)
  }, [refresh])

  return (
    <Page
      title="模拟器收件箱"
      right={
        <button type="button" className="nav-action" onClick={refresh}>
          刷新
        </button>
      }
    >
      <div className="filter-row inbox-users" role="group" aria-label="收件人">
        {(org?.users ?? []).map((user) => (
          <button
            type="button"
            key={user.userId}
            className={user.userId === userId ? 'chip chip-on' : 'chip'}
            onClick={() => setUserId(user.userId)}
          >
            {user.name}
          </button>
        ))}
      </div>
      {cards && cards.length === 0 ? (
        <EmptyState title="还没有收到消息" desc="提醒到期、线索分配等会以钉钉工作通知卡片送达这里" />
      ) : (
        <ul className="inbox">
          {(cards ?? []).map((card) => (
            <li key={card.id} className="inbox-card">
              <div className="inbox-meta">
                {labelOf(messageKindLabels, card.kind)} · {formatDateTime(card.at)}
              </div>
              {card.title ? <div className="inbox-title">{card.title}</div> : null}
              <div className="inbox-text">{card.text.replace(/^#+\s*/gm, '')}</div>
              {card.links.map((link) => {
                const route = h5Route(link)
                return route ? (
                  <Link key={link} className="inbox-open" to={route}>
                    查看详情 ›
                  </Link>
                ) : (
                  <div key={link} className="inbox-link">
                    {link}
                  </div>
                )
              })}
            </li>
          ))}
        </ul>
      )}
    </Page>
  )
}
