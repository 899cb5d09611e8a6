/**
 * Loading and empty states. dingtalk-design-mobile's Spin and Empty fetch their pictures from a CDN
 * (img.alicdn.com), which fails offline (local mode, CI); these draw with CSS only.
 */
export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <div className="center" role="status">
      <span className="spinner" aria-hidden />
      <span className="muted">{text}</span>
    </div>
  )
}

export function EmptyState({ title, desc }: { title: string; desc?: string }) {
  return (
    <div className="center empty-state">
      <div className="empty-title">{title}</div>
      {desc ? <div className="muted">{desc}</div> : null}
    </div>
  )
}

/** A read that failed: what went wrong and 重试 (never shown as an empty list). */
export function FailedState({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="center empty-state failed-state" role="alert">
      <div className="empty-title">加载失败</div>
      <div className="muted">{message}</div>
      <button type="button" className="btn btn-primary" onClick={onRetry}>
        重试
      </button>
    </div>
  )
}
