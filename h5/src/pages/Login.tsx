import { useEffect, useState } from 'react'
import { Button } from 'dingtalk-design-mobile'
import { Navigate, useLocation, useNavigate } from 'react-router-dom'
import { dingTalkLogin, finishScanLogin, startScanLogin } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { inDingTalk } from '../dingtalk.js'
import { session } from '../session.js'
import { Loading } from '../components/Status.js'

/**
 * 登录. Inside DingTalk: silent login with the JSAPI auth code. In a PC browser: 钉钉扫码登录 — DingTalk's
 * page (the emulator's in local mode) returns here with `authCode` and `state`, exchanged for a session.
 */
export default function Login() {
  const navigate = useNavigate()
  const query = new URLSearchParams(useLocation().search)
  const next = query.get('next') || '/'
  const returned = query.get('authCode')
    ? { authCode: query.get('authCode')!, state: query.get('state') ?? '' }
    : undefined
  const [busy, setBusy] = useState(!!returned || inDingTalk())
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const dingTalk = inDingTalk()

  const fail = (error: unknown) => {
    setFailure(errorMessage(error))
    setBusy(false)
  }
  const loginInDingTalk = () => {
    setFailure(undefined)
    setBusy(true)
    dingTalkLogin().then(() => navigate(next, { replace: true }), fail)
  }
  const scan = () => {
    setFailure(undefined)
    setBusy(true)
    startScanLogin(next).catch(fail)
  }

  useEffect(() => {
    if (session.token()) return
    if (returned)
      finishScanLogin(returned.authCode, returned.state).then((to) => navigate(to, { replace: true }), fail)
    else if (dingTalk) loginInDingTalk()
  }, [])

  if (session.token()) return <Navigate to={next} replace />

  return (
    <div className="login">
      <h1 className="login-title">钉钉 CRM</h1>
      {busy ? (
        <Loading text={dingTalk ? '正在通过钉钉登录…' : '正在登录…'} />
      ) : (
        <div className="login-box">
          {failure ? <p className="error-text">登录失败：{failure}</p> : null}
          {dingTalk ? (
            <Button type="primary" onClick={loginInDingTalk}>
              重试
            </Button>
          ) : (
            <>
              <p className="login-hint">使用钉钉扫码登录，进入你所在企业的 CRM。</p>
              <Button type="primary" className="login-scan" onClick={scan}>
                钉钉扫码登录
              </Button>
            </>
          )}
        </div>
      )}
    </div>
  )
}
