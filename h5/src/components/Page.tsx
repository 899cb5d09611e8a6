import { useEffect, type ReactNode } from 'react'
import { NavBar } from 'dingtalk-design-mobile'
import { useNavigate } from 'react-router-dom'
import { inDingTalk, setDingTalkTitle } from '../dingtalk.js'

/**
 * A screen: a navigation bar (with 返回 unless it is the home) and the content below it. Inside DingTalk
 * the client's own bar shows the title (set through the JSAPI) and goes back, so a second bar would only
 * take room: the screen's actions then sit in a slim row of their own.
 */
export function Page(props: {
  title: string
  back?: boolean
  right?: ReactNode
  /** a form page: a readable column on PC widths rather than the whole screen */
  narrow?: boolean
  children: ReactNode
}) {
  const navigate = useNavigate()
  const native = inDingTalk()
  const back = props.back ?? true
  useEffect(() => {
    if (native) setDingTalkTitle(props.title)
  }, [native, props.title])
  return (
    <div className="page">
      {native ? (
        props.right ? (
          <div className="page-actions">{props.right}</div>
        ) : null
      ) : (
        <NavBar
          leftContent={back ? <span className="nav-back">返回</span> : undefined}
          onLeftClick={back ? () => (window.history.length > 1 ? navigate(-1) : navigate('/')) : undefined}
          rightContent={props.right}
        >
          {props.title}
        </NavBar>
      )}
      <main className={props.narrow ? 'page-body page-narrow' : 'page-body'}>{props.children}</main>
    </div>
  )
}
