import { useEffect, useState, type ComponentType, type ReactNode } from 'react'
import { ActionSheet, Button, Modal, Toast } from 'dingtalk-design-mobile'
import { Link, useNavigate } from 'react-router-dom'
import type { ReminderRecordType, Stage } from '../../../shared/schemas/index.js'
import {
  customerCategoryLabels,
  formatDateTime,
  formatMoney,
  recordTypeCollections,
  recordTypeLabels,
} from '../../../shared/view/index.js'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { UserSheet } from '../components/Pickers.js'
import { useNames } from '../names.js'
import type { AnyRecord } from '../resources.js'
import { session } from '../session.js'

/**
 * What the generic screens add per collection: list defaults and row buttons (公海 领取), and a detail's
 * header (商机 stage steps, 合同 amounts) and business actions (返回公海, 分配, 转为新客户, 推进...).
 * Each action calls its API verb, then `reload()` (or leaves the page).
 */

/** Fixed list filters: 任务提醒 lists the caller's own reminders. */
export const listDefaults: Record<string, Record<string, string>> = { reminders: { mine: 'true' } }
export const listTitles: Record<string, string> = { reminders: '我的提醒' }

/** Runs a verb with the toasts around it; true when it worked. */
async function run(done: string, verb: () => Promise<unknown>): Promise<boolean> {
  try {
    await verb()
    Toast.success({ content: done })
    return true
  } catch (error) {
    Toast.fail({ content: errorMessage(error) })
    return false
  }
}

/** A reason typed into DingTalk's prompt dialog (退回公海, 输单, 无效); undefined when cancelled. */
const askReason = (title: string, message: string): Promise<string | undefined> =>
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

const confirm = (title: string, message: string, ok: string): Promise<boolean> =>
  new Promise((resolve) => {
    Modal.alert(title, message, [
      { text: '取消', onClick: () => resolve(false) },
      { text: ok, onClick: () => resolve(true) },
    ])
  })

/** Row buttons of a list. */
export const rowActions: Partial<
  Record<string, (record: AnyRecord, reload: () => Promise<void>) => ReactNode>
> = {
  pool: (record, reload) => (
    <Button
      size="small"
      type="primary"
      className="row-button"
      onClick={async () => {
        if (await run('已领取，客户已加入我的客户', () => api.customers.claim(record.id))) await reload()
      }}
    >
      领取
    </Button>
  ),
}

/** The link that creates a 任务提醒 about this record and comes back here. */
export function reminderLink(recordType: ReminderRecordType, record: AnyRecord, name: string): string {
  const back = `/${recordTypeCollections[recordType]}/${record.id}`
  const query = new URLSearchParams({
    recordType,
    recordId: record.id,
    recordName: name.slice(0, 100),
    title: `跟进${recordTypeLabels[recordType]}：${name}`.slice(0, 50),
    assigneeIds: session.user()?.id ?? '',
    returnTo: back,
  })
  return `/reminders/new?${query.toString()}`
}

export interface ActionProps {
  record: AnyRecord
  title: string
  reload: () => Promise<void>
}

/** 客户: 写跟进, 返回公海 (reason), 经理调整, 分类调整, 提醒. */
function CustomerActions({ record, title, reload }: ActionProps) {
  const navigate = useNavigate()
  const [assigning, setAssigning] = useState(false)
  const back = `/customers/${record.id}`
  const release = async () => {
    const reason = await askReason('返回公海', `请填写将「${title}」退回公海的原因`)
    if (reason && (await run('已退回公海', () => api.customers.release(record.id, { reason }))))
      navigate('/customers', { replace: true })
  }
  const recategorize = () =>
    ActionSheet.show({ title: '分类调整', items: Object.values(customerCategoryLabels) }, async (res) => {
      const category = Object.keys(customerCategoryLabels)[
        res?.index ?? -1
      ] as keyof typeof customerCategoryLabels
      if (category && (await run('已调整分类', () => api.customers.setCategory(record.id, { category }))))
        await reload()
    })
  return (
    <>
      <Link
        className="btn btn-primary"
        to={`/followups/new?customerId=${record.id}&returnTo=${encodeURIComponent(back + '?tab=followups')}`}
      >
        写跟进
      </Link>
      <Button onClick={release}>返回公海</Button>
      <Button onClick={() => setAssigning(true)}>经理调整</Button>
      <Button onClick={recategorize}>分类调整</Button>
      <Link className="btn" to={reminderLink('customer', record, title)}>
        提醒
      </Link>
      <Link className="btn" to={`/customers/${record.id}/merge`}>
        客户合并
      </Link>
      <UserSheet
        title="经理调整：选择新的客户经理"
        open={assigning}
        onClose={() => setAssigning(false)}
        onPick={async (ownerId) => {
          if (await run('已调整客户经理', () => api.customers.assign(record.id, { ownerId }))) await reload()
        }}
      />
    </>
  )
}

/** 公海客户: 领取, 分配 (managers). */
function PoolActions({ record }: ActionProps) {
  const navigate = useNavigate()
  const [assigning, setAssigning] = useState(false)
  return (
    <>
      <Button
        type="primary"
        onClick={async () => {
          if (await run('已领取', () => api.customers.claim(record.id)))
            navigate(`/customers/${record.id}`, { replace: true })
        }}
      >
        领取
      </Button>
      <Button onClick={() => setAssigning(true)}>分配</Button>
      <UserSheet
        title="分配给"
        open={assigning}
        onClose={() => setAssigning(false)}
        onPick={async (ownerId) => {
          if (await run('已分配', () => api.customers.assign(record.id, { ownerId })))
            navigate('/pool', { replace: true })
        }}
      />
    </>
  )
}

/** 线索: 分配 (user picker), 转为新客户, 无效, 提醒. */
function LeadActions({ record, title, reload }: ActionProps) {
  const navigate = useNavigate()
  const [assigning, setAssigning] = useState(false)
  const open = record.status === 'new' || record.status === 'following'
  const convert = async () => {
    if (!(await confirm('转为新客户', `将线索「${title}」转为新客户，并创建第一个联系人？`, '转换'))) return
    try {
      const result = await api.leads.convert(record.id)
      Toast.success({ content: '已转为新客户' })
      navigate(`/customers/${result.customerId}`, { replace: true })
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }
  const invalidate = async () => {
    const reason = await askReason('标记无效', '请填写无效原因')
    if (reason && (await run('已标记为无效', () => api.leads.markInvalid(record.id, { reason }))))
      await reload()
  }
  if (!open)
    return record.convertedCustomerId ? (
      <Link className="btn btn-primary" to={`/customers/${String(record.convertedCustomerId)}`}>
        查看客户
      </Link>
    ) : (
      <></>
    )
  return (
    <>
      <Button type="primary" onClick={convert}>
        转为新客户
      </Button>
      <Button onClick={() => setAssigning(true)}>分配</Button>
      <Button onClick={invalidate}>无效</Button>
      <Link className="btn" to={reminderLink('lead', record, title)}>
        提醒
      </Link>
      <UserSheet
        title="分配线索给"
        open={assigning}
        onClose={() => setAssigning(false)}
        onPick={async (assigneeId) => {
          if (await run('已分配，对方将收到钉钉通知', () => api.leads.assign(record.id, { assigneeId })))
            await reload()
        }}
      />
    </>
  )
}

const simpleReminder =
  (type: ReminderRecordType) =>
  ({ record, title }: ActionProps) => (
    <Link className="btn" to={reminderLink(type, record, title)}>
      提醒
    </Link>
  )

/** 商机: 提醒 (推进 is in the header, with the steps). */
function OpportunityActions({ record, title }: ActionProps) {
  return (
    <>
      <Link
        className="btn"
        to={`/contracts/new?customerId=${String(record.customerId)}&opportunityId=${record.id}&name=${encodeURIComponent(title)}&amount=${Number(record.amount ?? 0)}`}
      >
        新建合同
      </Link>
      <Link className="btn" to={reminderLink('opportunity', record, title)}>
        提醒
      </Link>
    </>
  )
}

/** 合同: 回款, 开票, 提醒. */
function ContractActions({ record, title }: ActionProps) {
  const back = encodeURIComponent(`/contracts/${record.id}`)
  return (
    <>
      <Link
        className="btn btn-primary"
        to={`/payments/new?contractId=${record.id}&returnTo=${back}%3Ftab%3Dpayments`}
      >
        登记回款
      </Link>
      <Link className="btn" to={`/invoices/new?contractId=${record.id}&returnTo=${back}%3Ftab%3Dinvoices`}>
        开票
      </Link>
      <Link className="btn" to={reminderLink('contract', record, title)}>
        提醒
      </Link>
    </>
  )
}

/** 任务提醒: 完成 / 取消 / 重新打开, and the record it is about. */
function ReminderActions({ record, reload }: ActionProps) {
  const setStatus = (status: 'done' | 'cancelled' | 'pending', done: string) => async () => {
    if (await run(done, () => api.reminders.update(record.id, { status, version: record.version })))
      await reload()
  }
  const collection = recordTypeCollections[record.recordType as ReminderRecordType]
  const active = record.status === 'pending' || record.status === 'sent'
  return (
    <>
      {collection ? (
        <Link className="btn" to={`/${collection}/${String(record.recordId)}`}>
          查看{recordTypeLabels[record.recordType as ReminderRecordType]}
        </Link>
      ) : null}
      {active ? (
        <>
          <Button type="primary" onClick={setStatus('done', '已完成')}>
            完成
          </Button>
          <Button onClick={setStatus('cancelled', '已取消')}>取消提醒</Button>
        </>
      ) : (
        <Button onClick={setStatus('pending', '已重新打开')}>重新打开</Button>
      )}
    </>
  )
}

export const detailActions: Partial<Record<string, ComponentType<ActionProps>>> = {
  customers: CustomerActions,
  pool: PoolActions,
  leads: LeadActions,
  contacts: simpleReminder('contact'),
  followups: simpleReminder('followup'),
  opportunities: OpportunityActions,
  contracts: ContractActions,
  reminders: ReminderActions,
}

/** 商机: the stage steps, 推进 (a lost stage asks for the reason), and the time spent in each stage. */
function StageSteps({ record, reload }: ActionProps) {
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

  const move = async (stage: Stage) => {
    let lostReason: string | undefined
    if (stage.kind === 'lost') {
      lostReason = await askReason('输单', '请填写输单原因')
      if (!lostReason) return
    }
    if (
      await run(`已推进到「${stage.name}」`, () =>
        api.opportunities.moveStage(record.id, { stageId: stage.id, lostReason }),
      )
    )
      await reload()
  }
  const advance = () => {
    const choices = stages.filter((s) => s.id !== record.stageId)
    ActionSheet.show(
      {
        title: '推进到',
        items: choices.map((s) => (s.kind === 'lost' ? { value: s.name, danger: true } : s.name)),
      },
      (res) => {
        const stage = choices[res?.index ?? -1]
        if (stage) void move(stage)
      },
    )
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
        <Button size="small" type="primary" onClick={advance} disabled={!stages.length}>
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
