import { useEffect, useState, type ComponentType, type ReactNode } from 'react'
import { ActionSheet, Button, Modal, Toast } from 'dingtalk-design-mobile'
import { Link, useNavigate } from 'react-router-dom'
import { h5Path, isCollection } from '../../../shared/nouns.js'
import {
  actionBar,
  claimAction,
  formatDateTime,
  formatMoney,
  recordActions,
  type ActionInput,
  type Choice,
  type Destination,
  type RecordAction,
  viewerOf,
} from '../../../shared/view/index.js'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { MoreMenu, type MoreItem } from '../components/MoreMenu.js'
import { UserSheet } from '../components/Pickers.js'
import { useNames } from '../names.js'
import type { AnyRecord } from '../resources.js'
import { session } from '../session.js'

/**
 * What the generic screens add per collection: a record's buttons (shared/view/record-actions.ts: the
 * same in both apps, rendered here with this app's dialogs and routes), the 公海 row button 领取, and a
 * detail's header (商机 stage steps, 合同 amounts).
 */

const viewer = () => viewerOf(session.user())

/** A reason typed into DingTalk’s prompt dialog (退回公海, 输单, 无效); undefined when cancelled. */
export const askReason = (title: string, message: string): Promise<string | undefined> =>
  new Promise((resolve) => {
    Modal.prompt(title, message, [
      { text: '取消', onClick: () => resolve(undefined) },
      {
        text: '确定',
        onClick: (value: string) =>
          value?.trim() ? resolve(value.trim()) : (Toast.info({ content: '请填写原因' }), Promise.reject()),
      },
    ])
  })

export const confirm = (title: string, message: string, ok: string): Promise<boolean> =>
  new Promise((resolve) => {
    Modal.alert(title, message, [
      { text: '取消', onClick: () => resolve(false) },
      { text: ok, onClick: () => resolve(true) },
    ])
  })

export const chooseFrom = (title: string, choices: Choice[]): Promise<Choice | undefined> =>
  new Promise((resolve) =>
    ActionSheet.show(
      { title, items: choices.map((c) => (c.danger ? { value: c.label, danger: true } : c.label)) },
      (res) => resolve(choices[res?.index ?? -1]),
    ),
  )

/** This app's route of a place an action leads to (`back`: the record, and its tab, to return to). */
export function pathOf(to: Destination, back: string): string {
  if ('open' in to) return h5Path(to.open, to.id)
  if ('edit' in to) return `${h5Path(to.edit, to.id)}/edit`
  if ('merge' in to) return `${h5Path('customers', to.merge)}/merge`
  const query = new URLSearchParams(Object.entries(to.preset).map(([k, v]) => [k, String(v)]))
  if (to.back) query.set('returnTo', to.back.tab ? `${back}?tab=${to.back.tab}` : back)
  return `/${to.create}/new?${query.toString()}`
}

/**
 * Runs a verb: its confirmation, its question (a reason, a user, a choice), the call, the toast, then
 * what follows (reload, the list, another record). `input` is the user already picked.
 */
function usePerform(list: string, reload: () => Promise<void>) {
  const navigate = useNavigate()
  return async (action: RecordAction, input: ActionInput = {}): Promise<void> => {
    if (!action.run) return
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
      if (choice.reason) {
        input.reason = await askReason(choice.reason.title, choice.reason.message)
        if (!input.reason) return
      }
    }
    try {
      const { done, then } = await action.run(api, input)
      Toast.success({ content: done })
      if (then === 'reload') await reload()
      else navigate(then === 'list' ? `/${list}` : h5Path(then.open, then.id), { replace: true })
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }
}

/** Row buttons of a list: 公海 领取. */
export const rowActions: Partial<
  Record<string, (record: AnyRecord, reload: () => Promise<void>) => ReactNode>
> = {
  pool: (record, reload) => <RowAction action={claimAction(record.id, viewer())} reload={reload} />,
}

function RowAction({ action, reload }: { action: RecordAction; reload: () => Promise<void> }) {
  const perform = usePerform('pool', reload)
  return (
    <Button size="small" type="primary" className="row-button" onClick={() => perform(action)}>
      {action.label}
    </Button>
  )
}

export interface ActionProps {
  record: AnyRecord
  title: string
  reload: () => Promise<void>
  /** runs one of the record's actions (a header's button: 推进), if the caller may */
  perform?: (key: string) => void
  may?: (key: string) => boolean
}

/** The actions a header shows itself (推进 beside the stage steps: the page's primary). */
const inHeader = ['advance']

/**
 * A record's buttons: the one primary action and 更多 (shared/view/actions.ts orders them; `extra` are
 * this app's own items, 打印, placed before the destructive ones). `list` is the screen's collection
 * (公海 or 客户) to go back to; the actions are those of the noun (a pool record is a customer without an
 * owner).
 */
export function useRecordActions(
  list: string,
  record: AnyRecord,
  reload: () => Promise<void>,
  extra: MoreItem[] = [],
) {
  const collection = isCollection(list) ? list : 'customers'
  const actions = recordActions(collection, record, viewer())
  const perform = usePerform(list, reload)
  const navigate = useNavigate()
  const [picking, setPicking] = useState<RecordAction | undefined>(undefined)
  const back = h5Path(collection, record.id)
  const start = (action: RecordAction) =>
    action.to
      ? navigate(pathOf(action.to, back))
      : action.ask?.kind === 'user'
        ? setPicking(action)
        : void perform(action)
  const { primary, more } = actionBar(actions, { shownElsewhere: inHeader })
  const items: MoreItem[] = more.map((action) => ({ ...action, onSelect: () => start(action) }))
  const firstDanger = items.findIndex((item) => item.tone === 'danger')
  items.splice(firstDanger < 0 ? items.length : firstDanger, 0, ...extra)

  const bar = (
    <>
      {primary?.to ? (
        <Link className="btn btn-primary action-primary" to={pathOf(primary.to, back)}>
          {primary.label}
        </Link>
      ) : primary ? (
        <Button type="primary" className="action-primary" onClick={() => start(primary)}>
          {primary.label}
        </Button>
      ) : null}
      <MoreMenu items={items} onRefused={(reason) => Toast.info({ content: reason })} />
      <UserSheet
        title={picking?.ask?.title ?? ''}
        open={!!picking}
        onClose={() => setPicking(undefined)}
        onPick={(value) => picking && void perform(picking, { value })}
      />
    </>
  )
  const byKey = (key: string) => {
    const action = actions.find((a) => a.key === key && !a.disabledReason)
    if (action) start(action)
  }
  const may = (key: string) => actions.some((a) => a.key === key && !a.disabledReason)
  return { bar, perform: byKey, may }
}

/** 商机: the stage steps, 推进 (the shared action: a lost stage asks for the reason), the time in each stage. */
function StageSteps({ record, perform, may }: ActionProps) {
  const { directory } = useNames()
  const [history, setHistory] = useState<{ stageId: string; durationSeconds: number }[]>([])
  useEffect(() => {
    api.opportunities.stages(record.id).then(
      (h) => setHistory(h.items),
      () => setHistory([]),
    )
  }, [record.id, record.version])
  const stages = directory?.stages ?? []
  const current = stages.find((s) => s.id === record.stageId)
  const closed = current?.kind === 'won' || current?.kind === 'lost'
  const path = stages.filter((s) => s.kind === 'open' || s.kind === 'won' || s.id === record.stageId)
  const reached = new Set(history.map((h) => h.stageId))
  const days = (id: string) => {
    const seconds = history.filter((h) => h.stageId === id).reduce((sum, h) => sum + h.durationSeconds, 0)
    return seconds ? `${Math.max(1, Math.round(seconds / 86400))} 天` : ''
  }

  return (
    <div className="stage-box">
      <ol className="stage-steps" aria-label="销售阶段">
        {path.map((stage) => (
          <li
            key={stage.id}
            className={[
              'stage-step',
              stage.id === record.stageId ? 'stage-current' : '',
              reached.has(stage.id) ? 'stage-reached' : '',
              stage.kind === 'lost' ? 'stage-lost' : '',
            ].join(' ')}
          >
            <span className="stage-name">{stage.name}</span>
            <span className="stage-meta">
              {stage.probability}%{days(stage.id) ? ` · ${days(stage.id)}` : ''}
            </span>
          </li>
        ))}
      </ol>
      <div className="stage-foot">
        <span>
          当前阶段：<b>{current?.name ?? '—'}</b>
          {record.lostReason ? `（输单原因：${String(record.lostReason)}）` : ''}
        </span>
        <Button
          size="small"
          type="primary"
          onClick={() => perform?.('advance')}
          disabled={!stages.length || !may?.('advance')}
        >
          {closed ? '重新推进' : '推进'}
        </Button>
      </div>
    </div>
  )
}

/** 合同: 合同金额 / 已回款 / 已开票 / 未回款 at a glance. */
function ContractAmounts({ record }: ActionProps) {
  const cells: [string, unknown][] = [
    ['合同金额', record.amount],
    ['已回款', record.receivedAmount],
    ['已开票', record.invoicedAmount],
    ['未回款', record.outstandingAmount],
  ]
  const amount = Number(record.amount) || 0
  const received = Math.min(100, amount ? (Number(record.receivedAmount) / amount) * 100 : 0)
  return (
    <div className="amounts">
      <div className="amount-cells">
        {cells.map(([label, fen]) => (
          <div key={label} className="amount-cell">
            <div className="amount-value">{formatMoney(fen as number)}</div>
            <div className="amount-label">{label}</div>
          </div>
        ))}
      </div>
      <div className="progress" aria-label={`回款进度 ${received.toFixed(0)}%`}>
        <div className="progress-bar" style={{ width: `${received}%` }} />
      </div>
    </div>
  )
}

/** 任务提醒: when and to whom. */
function ReminderHeader({ record }: ActionProps) {
  return (
    <div className="reminder-head muted">
      {formatDateTime(record.dueAt as string)} · {record.recordName ? String(record.recordName) : ''}
    </div>
  )
}

export const detailHeaders: Partial<Record<string, ComponentType<ActionProps>>> = {
  opportunities: StageSteps,
  contracts: ContractAmounts,
  reminders: ReminderHeader,
}
