import { useEffect, useState } from 'react'
import { ActionSheet, Toast } from 'dingtalk-design-mobile'
import { Link, useNavigate } from 'react-router-dom'
import {
  homeData,
  labelOf,
  modules,
  quickAdds,
  roleLabels,
  viewerOf,
  type HomeData,
  type ModuleView,
} from '../../../shared/view/index.js'
import { api } from '../api.js'
import { errorMessage, useWide } from '../components/hooks.js'
import { Feed } from '../components/Feed.js'
import { inDingTalk } from '../dingtalk.js'
import { Page } from '../components/Page.js'
import { session } from '../session.js'

/** 设置, on the grid of admins only (the settings API refuses the others anyway) */
const settingsModule: ModuleView = { path: 'settings', label: '设置', icon: '设', color: '#86909c' }

function Section(props: { title: string; more?: string; children: React.ReactNode }) {
  return (
    <section className="home-section">
      <div className="home-section-head">
        <h3>{props.title}</h3>
        {props.more ? <Link to={props.more}>全部 ›</Link> : null}
      </div>
      {props.children}
    </section>
  )
}

/**
 * 工作台: today's briefing, my due and overdue reminders, the leads assigned to me, the work's 动态, 「+」
 * quick add, and the grid of every module.
 */
export default function Home({ available }: { available: ReadonlySet<string> }) {
  const navigate = useNavigate()
  const user = session.user()
  const [board, setBoard] = useState<HomeData | undefined>(undefined)

  useEffect(() => {
    void homeData(api, viewerOf(user)).then((loaded) => {
      setBoard(loaded)
      if (loaded.error) Toast.fail({ content: errorMessage(loaded.error) })
    })
  }, [])

  const wide = useWide()
  const signOut = () => {
    session.clear()
    navigate('/login', { replace: true })
  }
  const quickAdd = () =>
    ActionSheet.show({ title: '快速新建', items: quickAdds.map((q) => q.label) }, (res) => {
      const choice = quickAdds[res?.index ?? -1]
      if (choice) navigate(`/${choice.collection}/new`)
    })
  const data = [...modules, ...(user?.role === 'admin' ? [settingsModule] : [])].map((m) => ({
    ...m,
    ready: available.has(m.path),
  }))
  const open = (m: ModuleView & { ready: boolean }) =>
    m.ready ? navigate(`/${m.path}`) : Toast.info({ content: `${m.label}即将上线` })

  return (
    <Page
      title="工作台"
      back={false}
      right={
        <span className="nav-actions">
          {wide ? null : (
            <button
              type="button"
              className="nav-action"
              aria-label="全文检索"
              onClick={() => navigate('/search')}
            >
              搜索
            </button>
          )}
          <button type="button" className="nav-action nav-add" aria-label="快速新建" onClick={quickAdd}>
            ＋
          </button>
          {/* inside DingTalk the session is DingTalk's; on a PC the console's top bar has 退出 */}
          {inDingTalk() || wide ? null : (
            <button type="button" className="nav-action" onClick={signOut}>
              退出
            </button>
          )}
        </span>
      }
    >
      <div className="home-user">
        <img src={user?.avatar} alt="" />
        <div>
          <div className="home-name">{user?.name}</div>
          <div className="home-role">{labelOf(roleLabels, user?.role)}</div>
        </div>
      </div>

      <Section title="今日简报" more="/reports">
        <div className="briefing">
          {(board?.briefing ?? []).map(({ label, value }) => (
            <div key={label} className="briefing-cell">
              <div className="briefing-value">{value}</div>
              <div className="briefing-label">{label}</div>
            </div>
          ))}
        </div>
      </Section>

      {/* on a PC: 工作动态 beside the day's reminders and leads */}
      <div className="home-board">
        <div className="home-side">
          <Section title="我的待办提醒" more="/reminders">
            {board?.reminders.length === 0 ? (
              <div className="muted home-empty">今天没有到期的提醒</div>
            ) : null}
            <ul className="home-list home-reminders">
              {(board?.reminders ?? []).map((r) => (
                <li key={r.id}>
                  <Link to={`/reminders/${r.id}`}>
                    <span className="home-item-title">
                      {r.overdue ? <span className="tag tag-danger">已逾期</span> : null}
                      {r.title}
                    </span>
                    <span className="muted">{r.brief}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </Section>

          <Section title="分配给我的线索" more={user ? `/leads?assigneeId=${user.id}` : '/leads'}>
            {board?.leads.length === 0 ? <div className="muted home-empty">没有待处理的线索</div> : null}
            <ul className="home-list home-leads">
              {(board?.leads ?? []).map((l) => (
                <li key={l.id}>
                  <Link to={`/leads/${l.id}`}>
                    <span className="home-item-title">{l.title}</span>
                    <span className="muted">{l.brief}</span>
                  </Link>
                </li>
              ))}
            </ul>
          </Section>
        </div>
        <div className="home-main">
          <Section title="工作动态">
            <Feed />
          </Section>
        </div>
      </div>

      {/* a CSS grid (dingtalk-design-mobile's Grid brings a carousel along: 6 KB of the first load) */}
      <div className="module-grid">
        {data.map((item) => (
          <button
            type="button"
            key={item.path}
            className={item.ready ? 'module' : 'module module-soon'}
            data-module={item.path}
            onClick={() => open(item)}
          >
            <span className="module-icon" style={{ background: item.color }}>
              {item.icon}
            </span>
            <span className="module-label">{item.label}</span>
            {item.ready ? null : <span className="module-soon-tag">即将上线</span>}
          </button>
        ))}
      </div>
      <Link className="home-inbox home-import" to="/import">
        数据导入：从 Excel / CSV 批量导入线索、客户、联系人、产品 ›
      </Link>
      {session.isLocal() ? (
        <Link className="home-inbox" to="/inbox">
          钉钉模拟器收件箱：查看演示用户收到的工作通知与卡片 ›
        </Link>
      ) : null}
    </Page>
  )
}
