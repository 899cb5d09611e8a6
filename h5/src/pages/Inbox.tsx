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
import {
  fetchGroupMessages,
  fetchMessages,
  fetchOrg,
  fetchTodos,
  type DeliveredCard,
  type EmulatedTodo,
  type Org,
} from '../emulator.js'
import { session } from '../session.js'
import { EmptyState } from '../components/Status.js'

/**
 * The H5 route a card's button opens: the mini-program page it names (`pages/lead/detail?id=…` inside a
 * `dingtalk://…open_mini_app?page=…` link) has the same record in the H5 app.
 */
export function h5Route(link: string): string | undefined {
  // 电脑端打开: dingtalk://dingtalkclient/page/link?url=<the H5 page>
  const web = /^dingtalk:\/\/dingtalkclient\/page\/link\?url=([^&]+)/.exec(link)?.[1]
  if (web) {
    const url = new URL(decodeURIComponent(web))
    return `${url.pathname}${url.search}`
  }
  const page = /[?&]page=([^&]+)/.exec(link)?.[1]
  if (!page) return undefined
  const [pathname, query = ''] = decodeURIComponent(page).split('?')
  const type = /^pages\/([a-z]+)\/detail$/.exec(pathname)?.[1] as
    keyof typeof recordTypeCollections | undefined
  const id = new URLSearchParams(query).get('id')
  const collection = type ? recordTypeCollections[type] : undefined
  return collection && id ? `/${collection}/${encodeURIComponent(id)}` : undefined
}

type Box = 'people' | 'groups' | 'todos'
const boxes: { id: Box; label: string }[] = [
  { id: 'people', label: '工作通知' },
  { id: 'groups', label: '群聊' },
  { id: 'todos', label: '待办' },
]

/** a card's 查看详情 (the mini-program page) or 电脑端打开 (the H5 page): the H5 page here, or the link as text */
function OpenLink({ link }: { link: string }) {
  const route = h5Route(link)
  return route ? (
    <Link className="inbox-open" to={route}>
      {link.startsWith('dingtalk://dingtalkclient/page/link') ? '电脑端打开' : '查看详情'} ›
    </Link>
  ) : (
    <div className="inbox-link">{link}</div>
  )
}

/**
 * 钉钉模拟器收件箱 (local mode): what the emulator delivered — a demo user's work notifications, a group
 * chat's robot cards, a demo user's DingTalk to-dos (待办) — so a newcomer can watch a reminder arrive.
 * Refreshes every few seconds.
 */
export default function Inbox() {
  const [org, setOrg] = useState<Org | undefined>(undefined)
  const [box, setBox] = useState<Box>('people')
  const [userId, setUserId] = useState(session.user()?.id ?? 'sales1')
  const [chatId, setChatId] = useState('cid-demo-sales1')
  const [cards, setCards] = useState<DeliveredCard[] | undefined>(undefined)
  const [todos, setTodos] = useState<EmulatedTodo[] | undefined>(undefined)

  const refresh = useCallback(async () => {
    try {
      if (box === 'todos') setTodos((await fetchTodos(userId)).items)
      else setCards((await (box === 'groups' ? fetchGroupMessages(chatId) : fetchMessages(userId))).items)
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }, [box, userId, chatId])

  useEffect(() => {
    void fetchOrg().then(setOrg)
  }, [])
  useEffect(() => {
    setCards(undefined)
    setTodos(undefined)
    void refresh()
    const timer = window.setInterval(refresh, 5000)
    return () => window.clearInterval(timer)
  }, [refresh])

  const nameOf = (id: string) => org?.users.find((u) => u.userId === id)?.name ?? id
  const chips = <T extends string>(
    items: { id: T; label: string }[],
    current: T,
    pick: (id: T) => void,
    label: string,
  ) => (
    <div className="filter-row inbox-users" role="group" aria-label={label}>
      {items.map((item) => (
        <button
          type="button"
          key={item.id}
          className={item.id === current ? 'chip chip-on' : 'chip'}
          onClick={() => pick(item.id)}
        >
          {item.label}
        </button>
      ))}
    </div>
  )

  return (
    <Page
      title="模拟器收件箱"
      right={
        <button type="button" className="nav-action" onClick={refresh}>
          刷新
        </button>
      }
    >
      {chips(boxes, box, setBox, '收件箱')}
      {box === 'groups'
        ? chips(
            (org?.chats ?? []).map((c) => ({ id: c.openConversationId, label: c.name })),
            chatId,
            setChatId,
            '群聊',
          )
        : chips(
            (org?.users ?? []).map((u) => ({ id: u.userId, label: u.name })),
            userId,
            setUserId,
            '收件人',
          )}
      {box === 'todos' ? (
        todos && todos.length === 0 ? (
          <EmptyState title="还没有待办" desc="任务提醒会在钉钉待办里给负责人建一条待办，到期前提醒" />
        ) : (
          <ul className="inbox">
            {(todos ?? []).map((todo) => (
              <li key={todo.id} className="inbox-card inbox-todo" data-done={todo.done}>
                <div className="inbox-meta">
                  待办 · {todo.done ? '已完成' : '未完成'}
                  {todo.dueAt ? ` · 截止 ${formatDateTime(todo.dueAt)}` : ''}
                </div>
                <div className="inbox-title">{todo.subject}</div>
                {todo.description ? <div className="inbox-text">{todo.description}</div> : null}
                <div className="inbox-text">执行人：{todo.executors.map(nameOf).join('、')}</div>
                {todo.detailUrl.appUrl ? <OpenLink link={todo.detailUrl.appUrl} /> : null}
              </li>
            ))}
          </ul>
        )
      ) : cards && cards.length === 0 ? (
        <EmptyState
          title="还没有收到消息"
          desc={
            box === 'groups'
              ? '在「通知设置」中为部门设置群后，线索分配、提醒等卡片会发到这里'
              : '提醒到期、线索分配等会以钉钉工作通知卡片送达这里'
          }
        />
      ) : (
        <ul className="inbox">
          {(cards ?? []).map((card) => (
            <li key={card.id} className="inbox-card">
              <div className="inbox-meta">
                {labelOf(messageKindLabels, card.kind)} · {formatDateTime(card.at)}
              </div>
              {card.title ? <div className="inbox-title">{card.title}</div> : null}
              <div className="inbox-text">{card.text.replace(/^#+\s*/gm, '')}</div>
              {card.links.map((link) => (
                <OpenLink key={link} link={link} />
              ))}
            </li>
          ))}
        </ul>
      )}
    </Page>
  )
}
