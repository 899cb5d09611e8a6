import { useEffect, useRef, useState } from 'react'
import { moreItemLabel, type BarAction } from '../../../shared/view/index.js'
import { useWide } from './hooks.js'

export interface MoreItem extends BarAction {
  /** what a tap does (a refused item's tap says why instead: `onRefused`) */
  onSelect(): void
}

/**
 * 更多: the actions beyond the primary one. A phone gets DingTalk's action sheet (from the bottom, 取消
 * under the items); a PC a dropdown under the button. A refused item stays, greyed, with its reason; a
 * destructive one is red text, never a filled red button.
 */
export function MoreMenu({ items, onRefused }: { items: MoreItem[]; onRefused(reason: string): void }) {
  const wide = useWide()
  const [open, setOpen] = useState(false)
  const box = useRef<HTMLSpanElement>(null)
  useEffect(() => {
    if (!open || !wide) return
    const close = (event: MouseEvent) => {
      if (!box.current?.contains(event.target as Node)) setOpen(false)
    }
    const escape = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false)
    document.addEventListener('mousedown', close)
    document.addEventListener('keydown', escape)
    return () => {
      document.removeEventListener('mousedown', close)
      document.removeEventListener('keydown', escape)
    }
  }, [open, wide])
  if (!items.length) return null

  const pick = (item: MoreItem) => {
    setOpen(false)
    if (item.disabledReason) onRefused(item.disabledReason)
    else item.onSelect()
  }
  const list = (
    <div role="menu" aria-label="更多操作" className={wide ? 'more-menu' : 'more-sheet-items'}>
      {items.map((item) => {
        const { label, note } = moreItemLabel(item)
        return (
          <button
            type="button"
            role="menuitem"
            key={item.key}
            aria-disabled={item.disabledReason ? true : undefined}
            className={[
              'more-item',
              item.tone === 'danger' ? 'more-danger' : '',
              item.disabledReason ? 'more-refused' : '',
            ].join(' ')}
            onClick={() => pick(item)}
          >
            <span className="more-label">{label}</span>
            {note ? <span className="more-note">{note}</span> : null}
          </button>
        )
      })}
    </div>
  )
  return (
    <span className="more" ref={box}>
      <button
        type="button"
        className="btn more-button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        更多 <span aria-hidden>{wide ? '▾' : '⋯'}</span>
      </button>
      {open && wide ? list : null}
      {open && !wide ? (
        <div className="more-sheet-mask" onClick={() => setOpen(false)}>
          <div className="more-sheet" onClick={(e) => e.stopPropagation()}>
            {list}
            <button type="button" className="more-item more-cancel" onClick={() => setOpen(false)}>
              取消
            </button>
          </div>
        </div>
      ) : null}
    </span>
  )
}
