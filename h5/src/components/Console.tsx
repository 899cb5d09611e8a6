import { Suspense, useEffect, useState, type FormEvent } from 'react'
import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom'
import type { SearchResult } from '../../../shared/schemas/index.js'
import { activeMenuPath, consoleMenu, labelOf, roleLabels } from '../../../shared/view/index.js'
import { api } from '../api.js'
import { inDingTalk } from '../dingtalk.js'
import { session } from '../session.js'
import { errorMessage, useWide } from './hooks.js'
import { Loading } from './Status.js'

const COLLAPSED = 'crm.console.collapsed'

/**
 * The PC console (widths ≥ 1024 px): the module menu on the left, grouped as the manual groups it and
 * collapsible; a top bar with 全文检索, the user and 退出; the screen in place beside them. On a phone
 * the screens stand alone, as in DingTalk's mobile client.
 */
export function ConsoleLayout() {
  const wide = useWide()
  const [collapsed, setCollapsed] = useState(() => localStorage.getItem(COLLAPSED) === '1')
  const user = session.user()
  const { pathname } = useLocation()
  // The screen keeps its place in the tree across the 1024 px line (a window resized, a tablet turned, a
  // full-page screenshot): in another place React would mount it afresh and a form would lose its input.
  const screen = (
    <Suspense fallback={<Loading />}>
      <Outlet />
    </Suspense>
  )
  if (!wide)
    return (
      <div>
        {null}
        <div>
          {null}
          {screen}
        </div>
      </div>
    )
  const menu = consoleMenu(user?.role)
  const active = activeMenuPath(
    pathname,
    menu.flatMap((group) => group.items.map((item) => item.path)),
  )
  const toggle = () => {
    localStorage.setItem(COLLAPSED, collapsed ? '0' : '1')
    setCollapsed(!collapsed)
  }
  return (
    <div className={collapsed ? 'console console-collapsed' : 'console'}>
      <aside className="console-menu" aria-label="模块菜单">
        <Link className="console-brand" to="/" title="工作台">
          {collapsed ? '钉' : '钉钉 CRM'}
        </Link>
        <NavLink className={({ isActive }) => (isActive ? 'console-item active' : 'console-item')} to="/" end>
          <span className="console-icon" style={{ background: '#3370ff' }}>
            台
          </span>
          <span className="console-label">工作台</span>
        </NavLink>
        {menu.map((group) => (
          <nav key={group.label} className="console-group">
            <h4>{group.label}</h4>
            {group.items.map((item) => (
              <Link
                key={item.path}
                to={`/${item.path}`}
                title={item.label}
                data-module={item.path}
                aria-current={item.path === active ? 'page' : undefined}
                className={item.path === active ? 'console-item active' : 'console-item'}
              >
                <span className="console-icon" style={{ background: item.color }}>
                  {item.icon}
                </span>
                <span className="console-label">{item.label}</span>
              </Link>
            ))}
          </nav>
        ))}
        <button type="button" className="console-collapse" onClick={toggle}>
          {collapsed ? '»' : '« 收起菜单'}
        </button>
      </aside>
      <div className="console-main">
        <TopBar />
        {/* a screen still loading its chunk waits here, beside the menu, not in place of the console */}
        {screen}
      </div>
    </div>
  )
}

function TopBar() {
  const navigate = useNavigate()
  const user = session.user()
  const signOut = () => {
    session.clear()
    navigate('/login', { replace: true })
  }
  return (
    <header className="console-top">
      <SearchBox />
      <span className="console-user">
        {user?.avatar ? <img src={user.avatar} alt="" /> : null}
        {user?.name} · {labelOf(roleLabels, user?.role)}
      </span>
      {inDingTalk() ? null : (
        <button type="button" className="console-signout" onClick={signOut}>
          退出
        </button>
      )}
    </header>
  )
}

const hitLabels: Record<SearchResult['items'][number]['collection'], string> = {
  customers: '客户',
  contacts: '联系人',
  leads: '线索',
  opportunities: '商机',
  contracts: '合同',
}

/** 全文检索: names and phone numbers of customers, contacts, leads and deals, as the API finds them. */
function SearchBox() {
  const location = useLocation()
  const [q, setQ] = useState('')
  const [answer, setAnswer] = useState<
    | { state: 'idle' }
    | { state: 'loading' }
    | { state: 'done'; result: SearchResult }
    | { state: 'failed'; error: string }
  >({ state: 'idle' })
  // a hit opened (the location moved): the panel closes
  useEffect(() => setAnswer({ state: 'idle' }), [location.pathname])

  const submit = (event?: FormEvent) => {
    event?.preventDefault()
    if (q.trim().length < 2) return setAnswer({ state: 'failed', error: '请至少输入 2 个字符' })
    setAnswer({ state: 'loading' })
    api.search.find({ q: q.trim(), limit: 20 }).then(
      (result) => setAnswer({ state: 'done', result }),
      (error) => setAnswer({ state: 'failed', error: errorMessage(error) }),
    )
  }
  return (
    <form className="console-search" role="search" onSubmit={submit}>
      <input
        type="search"
        value={q}
        placeholder="全文检索：客户、联系人、线索的名称或电话"
        aria-label="全文检索"
        onChange={(e) => setQ(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setAnswer({ state: 'idle' })}
      />
      <button type="submit">搜索</button>
      {answer.state === 'idle' ? null : (
        <div className="console-search-panel">
          {answer.state === 'loading' ? <div className="muted">正在搜索…</div> : null}
          {answer.state === 'failed' ? (
            <div className="error-text">
              {answer.error}{' '}
              <button type="button" onClick={() => submit()}>
                重试
              </button>
            </div>
          ) : null}
          {answer.state === 'done' ? (
            answer.result.items.length === 0 ? (
              <div className="muted">没有找到「{q}」</div>
            ) : (
              <>
                <div className="muted">共有 {answer.result.items.length} 条</div>
                <ul>
                  {answer.result.items.map((hit) => (
                    <li key={`${hit.collection}/${hit.id}`}>
                      <Link to={`/${hit.collection}/${hit.id}`}>
                        <span className="tag">{hitLabels[hit.collection]}</span> {hit.name}
                        {hit.reason === 'phone' ? <span className="muted"> · 电话匹配</span> : null}
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            )
          ) : null}
        </div>
      )}
    </form>
  )
}
