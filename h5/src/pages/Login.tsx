import { useEffect, useState } from 'react'
import { Button, List, Toast } from 'dingtalk-design-mobile'
import { Navigate, useLocation, useNavigate } from 'react-router-dom'
import { dingTalkLogin, emulatorLogin } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { inDingTalk } from '../dingtalk.js'
import { fetchOrg, type Org } from '../emulator.js'
import { session } from '../session.js'
import { Loading } from '../components/Status.js'

/**
 * 登录. Inside DingTalk: silent login with the JSAPI auth code. Outside (local mode): pick a user of the
 * emulator's demo organisation. Elsewhere there is nothing to sign in with, so say where to open the app.
 */
export default function Login() {
  const navigate = useNavigate()
  const next = new URLSearchParams(useLocation().search).get('next') || '/'
  const [org, setOrg] = useState<Org | null | undefined>(undefined)
  const [busy, setBusy] = useState<string | undefined>(undefined)
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const dingTalk = inDingTalk()

  const loginInDingTalk = () => {
    setFailure(undefined)
    dingTalkLogin().then(
      () => navigate(next, { replace: true }),
      (error) => setFailure(errorMessage(error)),
    )
  }

  useEffect(() => {
    if (session.token()) return
    if (dingTalk) loginInDingTalk()
    else fetchOrg().then((found) => setOrg(found ?? null))
  }, [])

  if (session.token()) return <Navigate to={next} replace />

  const signIn = async (userId: string) => {
    if (!org) return
    setBusy(userId)
    try {
      await emulatorLogin(userId, org.corpId)
      navigate(next, { replace: true })
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
      setBusy(undefined)
    }
  }

  const deptNames = (ids: number[]) =>
    ids.map((id) => org?.depts.find((d) => d.deptId === id)?.name ?? String(id)).join('、')

  return (
    <div className="login">
      <h1 className="login-title">钉钉 CRM</h1>
      {dingTalk ? (
        failure ? (
          <div className="login-box">
            <p className="error-text">登录失败：{failure}</p>
            <Button type="primary" onClick={loginInDingTalk}>
              重试
            </Button>
          </div>
        ) : (
          <Loading text="正在通过钉钉登录…" />
        )
      ) : org === undefined ? (
        <Loading />
      ) : org === null ? (
        <div className="login-box">
          <p>请在钉钉中打开本应用（工作台 → 钉钉 CRM）。</p>
        </div>
      ) : (
        <div className="login-box">
          <p className="login-hint">本地模式：选择「{org.corpName}」的演示用户登录（钉钉模拟器）</p>
          <List className="login-users">
            {org.users.map((user) => (
              <List.Item
                key={user.userId}
                thumb={user.avatar}
                arrow="horizontal"
                brief={`${user.title} · ${deptNames(user.deptIds)} · ${user.userId}`}
                extra={busy === user.userId ? '登录中…' : undefined}
                onClick={() => signIn(user.userId)}
              >
                {user.name}
              </List.Item>
            ))}
          </List>
        </div>
      )}
    </div>
  )
}
