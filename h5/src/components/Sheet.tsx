import { useEffect, useState, type ReactNode } from 'react'

/** A bottom sheet on a phone (a centred dialog on a PC) over a dimmed page; a tap outside closes it. */
export function Sheet(props: { title: string; open: boolean; onClose: () => void; children: ReactNode }) {
  if (!props.open) return null
  return (
    <div className="sheet-mask" onClick={props.onClose}>
      <div className="sheet" role="dialog" aria-label={props.title} onClick={(e) => e.stopPropagation()}>
        <div className="sheet-head">
          <span className="sheet-title">{props.title}</span>
          <button type="button" className="sheet-close" onClick={props.onClose} aria-label="关闭">
            ×
          </button>
        </div>
        <div className="sheet-body">{props.children}</div>
      </div>
    </div>
  )
}

export interface Option {
  value: string
  label: string
  brief?: string
}

/**
 * A list of options to pick one (or several, then 确定) from, with a search box. `onSearch` asks the API
 * again for each search; without it the options are filtered here.
 */
export function OptionSheet(props: {
  title: string
  open: boolean
  onClose: () => void
  options: readonly Option[] | undefined
  multiple?: boolean
  selected?: readonly string[]
  onPick: (values: string[]) => void
  onSearch?: (q: string) => void
}) {
  const [q, setQ] = useState('')
  const [chosen, setChosen] = useState<string[]>([...(props.selected ?? [])])
  useEffect(() => {
    if (props.open) {
      setChosen([...(props.selected ?? [])])
      setQ('')
    }
  }, [props.open])
  const shown = props.onSearch
    ? props.options
    : props.options?.filter((o) => !q || o.label.includes(q) || o.brief?.includes(q))
  const toggle = (value: string) => {
    if (!props.multiple) {
      props.onPick([value])
      props.onClose()
      return
    }
    setChosen((c) => (c.includes(value) ? c.filter((v) => v !== value) : [...c, value]))
  }
  return (
    <Sheet title={props.title} open={props.open} onClose={props.onClose}>
      <input
        className="sheet-search"
        type="search"
        placeholder="搜索"
        value={q}
        onChange={(e) => {
          setQ(e.target.value)
          props.onSearch?.(e.target.value.trim())
        }}
      />
      <ul className="option-list">
        {shown === undefined ? <li className="muted">加载中…</li> : null}
        {shown?.length === 0 ? <li className="muted">没有可选的记录</li> : null}
        {shown?.map((option) => (
          <li key={option.value}>
            <button
              type="button"
              className={chosen.includes(option.value) ? 'option option-on' : 'option'}
              onClick={() => toggle(option.value)}
            >
              <span className="option-label">{option.label}</span>
              {option.brief ? <span className="option-brief">{option.brief}</span> : null}
              {chosen.includes(option.value) ? <span className="option-check">✓</span> : null}
            </button>
          </li>
        ))}
      </ul>
      {props.multiple ? (
        <div className="sheet-foot">
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => {
              props.onPick(chosen)
              props.onClose()
            }}
          >
            确定（{chosen.length}）
          </button>
        </div>
      ) : null}
    </Sheet>
  )
}
