import { useState } from 'react'
import { Button, Toast } from 'dingtalk-design-mobile'
import {
  type ActionInput,
  type BulkAction,
  bulkActions,
  bulkSummary,
  viewerOf,
} from '../../../shared/view/index.js'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { UserSheet } from '../components/Pickers.js'
import { session } from '../session.js'
import { askReason, chooseFrom, confirm } from './actions.js'

/** The bulk actions of a list for the signed-in caller (shared/view/bulk-actions.ts). */
export const listBulkActions = (list: string) => bulkActions(list, viewerOf(session.user()))

interface Summary {
  title: string
  failures: string[]
}

/**
 * The PC table's bulk toolbar: 已选 N 条, the list's bulk actions (each asks what its single action asks:
 * a person, a reason, a choice, a confirmation), and after a run the summary of what was done and what
 * failed, with each failed record's name and reason.
 */
export function BulkBar(props: {
  list: string
  selected: string[]
  nameOf: (id: string) => string
  onClear: () => void
  /** after a run: the list reloads (done records may have left it) */
  onDone: () => Promise<void>
}) {
  const actions = listBulkActions(props.list)
  const [picking, setPicking] = useState<BulkAction | undefined>(undefined)
  const [running, setRunning] = useState(false)
  const [summary, setSummary] = useState<Summary | undefined>(undefined)
  const ids = props.selected

  const perform = async (action: BulkAction, input: ActionInput = {}) => {
    const { confirm: question, ask } = action
    if (question && !(await confirm(question.title, question.message, question.ok))) return
    if (ask?.kind === 'reason') {
      input.reason = await askReason(ask.title, ask.message)
      if (!input.reason) return
    }
    if (ask?.kind === 'choice') {
      const choice = await chooseFrom(ask.title, await ask.choices(api))
      if (!choice) return
      Object.assign(input, { value: choice.value, label: choice.label })
    }
    setRunning(true)
    try {
      const result = await action.run(api, ids, input)
      setSummary(bulkSummary(result, props.nameOf))
      props.onClear()
      await props.onDone()
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    } finally {
      setRunning(false)
    }
  }
  const start = (action: BulkAction) =>
    action.ask?.kind === 'user' ? setPicking(action) : void perform(action)

  return (
    <>
      {ids.length ? (
        <div className="bulk-bar" role="toolbar" aria-label="批量操作">
          <span className="bulk-count">已选 {ids.length} 条</span>
          {actions.map((action) => (
            <Button
              key={action.key}
              size="small"
              type={action.tone === 'danger' ? 'danger' : undefined}
              disabled={running}
              onClick={() => start(action)}
            >
              {action.label}
            </Button>
          ))}
          <button type="button" className="link-button" onClick={props.onClear}>
            取消选择
          </button>
        </div>
      ) : null}
      {summary ? (
        <div className="bulk-result" role="status">
          <b>{summary.title}</b>
          {summary.failures.length ? (
            <ul>
              {summary.failures.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
          <button type="button" className="link-button" onClick={() => setSummary(undefined)}>
            知道了
          </button>
        </div>
      ) : null}
      <UserSheet
        title={picking?.ask?.title ?? ''}
        open={!!picking}
        onClose={() => setPicking(undefined)}
        onPick={(value) => {
          const action = picking
          setPicking(undefined)
          if (action) void perform(action, { value })
        }}
      />
    </>
  )
}
