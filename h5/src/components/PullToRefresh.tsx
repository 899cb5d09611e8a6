import { useRef, useState, type ReactNode } from 'react'

const THRESHOLD = 60

/**
 * 下拉刷新 on a phone: pulling down from the top of the page past the threshold calls `onRefresh`.
 * (dingtalk-design-mobile has no pull-to-refresh of its own.)
 */
export function PullToRefresh(props: { onRefresh: () => Promise<void>; children: ReactNode }) {
  const start = useRef<number | undefined>(undefined)
  const [pull, setPull] = useState(0)
  const [refreshing, setRefreshing] = useState(false)

  const onTouchStart = (e: React.TouchEvent) => {
    start.current = window.scrollY <= 0 && !refreshing ? e.touches[0].clientY : undefined
  }
  const onTouchMove = (e: React.TouchEvent) => {
    if (start.current === undefined) return
    setPull(Math.max(0, Math.min(100, (e.touches[0].clientY - start.current) / 2)))
  }
  const onTouchEnd = async () => {
    start.current = undefined
    if (pull < THRESHOLD / 2) return setPull(0)
    setRefreshing(true)
    setPull(THRESHOLD / 2)
    try {
      await props.onRefresh()
    } finally {
      setRefreshing(false)
      setPull(0)
    }
  }
  const hint = refreshing ? '正在刷新…' : pull >= THRESHOLD / 2 ? '释放立即刷新' : '下拉刷新'
  return (
    <div onTouchStart={onTouchStart} onTouchMove={onTouchMove} onTouchEnd={onTouchEnd}>
      <div className="pull-hint" style={{ height: pull }} aria-hidden={pull === 0}>
        {pull > 0 ? hint : null}
      </div>
      {props.children}
    </div>
  )
}
