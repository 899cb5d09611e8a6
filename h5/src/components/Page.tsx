import type { ReactNode } from 'react'
import { NavBar } from 'dingtalk-design-mobile'
import { useNavigate } from 'react-router-dom'

/** A screen: DingTalk's navigation bar (with 返回 unless it is the home) and the content below it. */
export function Page(props: {
  title: string
  back?: boolean
  right?: ReactNode
  /** a form page: a readable column on PC widths rather than the whole screen */
  narrow?: boolean
  children: ReactNode
}) {
  const navigate = useNavigate()
  const back = props.back ?? true
  return (
    <div className="page">
      <NavBar
        leftContent={back ? <span className="nav-back">返回</span> : undefined}
        onLeftClick={back ? () => (window.history.length > 1 ? navigate(-1) : navigate('/')) : undefined}
        rightContent={props.right}
      >
        {props.title}
      </NavBar>
      <main className={props.narrow ? 'page-body page-narrow' : 'page-body'}>{props.children}</main>
    </div>
  )
}
