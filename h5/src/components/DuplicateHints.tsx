import { useEffect, useState } from 'react'
import type { DuplicateHint } from '../../../shared/schemas/index.js'
import { duplicateReasonLabels, labelOf } from '../../../shared/view/index.js'
import { api } from '../api.js'
import { userName } from '../names.js'

type Hint = Omit<DuplicateHint, 'collection'>

/** 查重 while a new customer's name is typed: likely duplicates (any owner, the pool included). */
export function DuplicateHints({ name }: { name: string }) {
  const [hints, setHints] = useState<Hint[]>([])
  const trimmed = name.trim()
  useEffect(() => {
    if (trimmed.length < 2) return setHints([])
    let current = true
    // wait until typing pauses, so each keystroke does not cost a request
    const timer = window.setTimeout(() => {
      api.customers.duplicates({ name: trimmed }).then(
        (found) => current && setHints(found.items),
        () => current && setHints([]),
      )
    }, 300)
    return () => {
      current = false
      window.clearTimeout(timer)
    }
  }, [trimmed])
  if (!hints.length) return null
  return (
    <div className="duplicates" role="status">
      <div className="duplicates-title">查重：发现 {hints.length} 个可能重复的客户</div>
      {hints.map((hint) => (
        <div key={hint.id} className="duplicate">
          {hint.name}
          <span className="muted">
            {' '}
            · {labelOf(duplicateReasonLabels, hint.reason)} ·{' '}
            {hint.ownerId ? `客户经理 ${userName(hint.ownerId) ?? hint.ownerId}` : '在公海中'}
          </span>
        </div>
      ))}
    </div>
  )
}
