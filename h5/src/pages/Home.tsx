import { Grid, Toast } from 'dingtalk-design-mobile'
import { Link, useNavigate } from 'react-router-dom'
import { labelOf, modules, roleLabels, type ModuleView } from '../../../shared/view/index.js'
import { Page } from '../components/Page.js'
import { session } from '../session.js'

/** 工作台: every module of the CRM; those without screens yet say 即将上线. */
export default function Home({ available }: { available: ReadonlySet<string> }) {
  const navigate = useNavigate()
  const user = session.user()
  const signOut = () => {
    session.clear()
    navigate('/login', { replace: true })
  }
  const data = modules.map((m) => ({ ...m, ready: available.has(m.path) }))
  const open = (m: ModuleView & { ready: boolean }) =>
    m.ready ? navigate(`/${m.path}`) : Toast.info({ content: `${m.label}即将上线` })

  return (
    <Page
      title="工作台"
      back={false}
      right={
        <button type="button" className="nav-action" onClick={signOut}>
          退出
        </button>
      }
    >
      <div className="home-user">
        <img src={user?.avatar} alt="" />
        <div>
          <div className="home-name">{user?.name}</div>
          <div className="home-role">{labelOf(roleLabels, user?.role)}</div>
        </div>
      </div>
      <Grid
        className="module-grid"
        data={data}
        columnNum={4}
        hasLine={false}
        square={false}
        onClick={(_item, index) => open(data[index])}
        renderItem={(_item, index) => {
          const item = data[index]
          return (
            <div className={item.ready ? 'module' : 'module module-soon'} data-module={item.path}>
              <span className="module-icon" style={{ background: item.color }}>
                {item.icon}
              </span>
              <span className="module-label">{item.label}</span>
              {item.ready ? null : <span className="module-soon-tag">即将上线</span>}
            </div>
          )
        }}
      />
      {session.isLocal() ? (
        <Link className="home-inbox" to="/inbox">
          钉钉模拟器收件箱：查看演示用户收到的工作通知与卡片 ›
        </Link>
      ) : null}
    </Page>
  )
}
