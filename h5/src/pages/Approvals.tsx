import { useCallback, useEffect, useState } from 'react'
import { Button, List, Toast } from 'dingtalk-design-mobile'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom'
import type { Approval, ApprovalDetail } from '../../../shared/schemas/index.js'
import {
  APPROVAL_BOXES,
  APPROVAL_STATUS,
  approvalActions,
  type ApprovalBoxName,
  approvalRow,
  COMMENT_MAX,
  stepViews,
} from '../../../shared/view/approvals.js'
import { collectionLabel, formatDateTime, formatMoney, listCount } from '../../../shared/view/index.js'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { Page } from '../components/Page.js'
import { EmptyState, FailedState, Loading } from '../components/Status.js'
import { deptName, useNames, userName } from '../names.js'
import { session } from '../session.js'

const namer = { user: userName, dept: deptName }
const isBox = (box: string | null): box is ApprovalBoxName => APPROVAL_BOXES.some((b) => b.box === box)

/** 审批: 待我审批 / 我已审批 / 我发起的 (`?box=`), newest first; a row opens the approval. */
function ApprovalList() {
  const [params, setParams] = useSearchParams()
  const navigate = useNavigate()
  const box = isBox(params.get('box')) ? (params.get('box') as ApprovalBoxName) : 'todo'
  const [items, setItems] = useState<Approval[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [state, setState] = useState<'loading' | 'loaded' | 'failed'>('loading')
  const [error, setError] = useState('')

  const load = useCallback(
    async (from?: string) => {
      try {
        const page = await api.approvals.list({ box, limit: 20, cursor: from })
        setItems((current) => (from ? [...current, ...page.items] : page.items))
        setCursor(page.nextCursor)
        setState('loaded')
      } catch (failure) {
        setError(errorMessage(failure))
        setState('failed')
      }
    },
    [box],
  )
  useEffect(() => {
    setState('loading')
    void load()
  }, [load])

  return (
    <Page title="审批">
      <div className="tabs approval-boxes" role="tablist">
        {APPROVAL_BOXES.map((b) => (
          <button
            type="button"
            role="tab"
            key={b.box}
            aria-selected={b.box === box}
            className={b.box === box ? 'tab tab-on' : 'tab'}
            onClick={() => setParams(b.box === 'todo' ? {} : { box: b.box }, { replace: true })}
          >
            {b.label}
          </button>
        ))}
      </div>
      {state === 'loading' ? <Loading /> : null}
      {state === 'failed' ? <FailedState message={error} onRetry={() => load()} /> : null}
      {state === 'loaded' && items.length === 0 ? (
        <EmptyState title="没有审批" desc="需要你处理或你提交的审批会在这里" />
      ) : null}
      {state === 'loaded' && items.length ? (
        <div className="list-count" role="status">
          {listCount({ loaded: items.length, more: cursor !== null })}
        </div>
      ) : null}
      {state === 'loaded' && items.length ? (
        <List className="approval-list">
          {items.map((a) => {
            const row = approvalRow(a)
            return (
              <List.Item
                key={a.id}
                arrow="horizontal"
                brief={row.brief}
                extra={<span className={`approval-badge approval-${a.status}`}>{row.extra}</span>}
                onClick={() => navigate(`/approvals/${a.id}`)}
              >
                {row.title}
              </List.Item>
            )
          })}
        </List>
      ) : null}
      {cursor ? (
        <div className="table-more">
          <Button size="small" onClick={() => load(cursor)}>
            加载更多
          </Button>
        </div>
      ) : null}
    </Page>
  )
}

/** The record as the approver reads it through the approval (read-only): what it is and its amount. */
function recordLine(a: ApprovalDetail) {
  const yuan = a.record?.amount
  return [
    collectionLabel(a.collection),
    typeof yuan === 'number' ? formatMoney(Math.round(yuan * 100)) : undefined,
    a.record ? undefined : '记录已删除',
  ]
    .filter(Boolean)
    .join(' · ')
}

/** 审批详情: the record, every step with its decisions, 同意 / 驳回 with a comment, 撤回 for the submitter. */
function ApprovalPage() {
  const { id = '' } = useParams()
  useNames() // re-render once the directory's names arrive
  const [approval, setApproval] = useState<ApprovalDetail | undefined>()
  const [error, setError] = useState('')
  const [comment, setComment] = useState('')
  const [busy, setBusy] = useState(false)

  const load = useCallback(async () => {
    try {
      setApproval(await api.approvals.get(id))
      setError('')
    } catch (failure) {
      setError(errorMessage(failure))
    }
  }, [id])
  useEffect(() => {
    void load()
  }, [load])

  if (error && !approval)
    return (
      <Page title="审批详情">
        <FailedState message={error} onRetry={load} />
      </Page>
    )
  if (!approval)
    return (
      <Page title="审批详情">
        <Loading />
      </Page>
    )

  const may = approvalActions(approval, session.user()?.id ?? '')
  const act = async (run: () => Promise<unknown>, done: string) => {
    setBusy(true)
    try {
      await run()
      setComment('')
      Toast.success({ content: done })
    } catch (failure) {
      Toast.fail({ content: errorMessage(failure) })
    } finally {
      setBusy(false)
      await load()
    }
  }
  const reject = () => {
    if (!comment.trim()) {
      Toast.fail({ content: '请填写驳回理由' })
      return
    }
    void act(() => api.approvals.reject(id, { comment: comment.trim() }), '已驳回')
  }

  return (
    <Page title="审批详情">
      <div className="detail approval-detail">
        <h2 className="detail-title">
          {approval.flowName}{' '}
          <span className={`approval-badge approval-${approval.status}`}>
            {APPROVAL_STATUS[approval.status]}
          </span>
        </h2>
        <div className="detail-brief muted">
          {approval.submitterName} 提交于 {formatDateTime(approval.createdAt)}
          {approval.decidedAt ? ` · 完成于 ${formatDateTime(approval.decidedAt)}` : ''}
        </div>
        <List className="detail-fields">
          <List.Item extra={recordLine(approval)}>{approval.recordName}</List.Item>
        </List>
        <ol className="approval-steps">
          {stepViews(approval, namer).map((step) => (
            <li
              key={step.title}
              className={step.current ? 'approval-step approval-step-current' : 'approval-step'}
            >
              <div className="approval-step-title">{step.title}</div>
              <div className="muted">
                {step.status} · {step.approvers}
              </div>
              {step.decisions.map((line) => (
                <div key={line} className="approval-decision">
                  {line}
                </div>
              ))}
            </li>
          ))}
        </ol>
        {may.approve ? (
          <div className="approval-decide">
            <textarea
              name="comment"
              aria-label="审批意见"
              placeholder="审批意见（驳回时必填）"
              maxLength={COMMENT_MAX}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
            />
            <div className="actions">
              <Button
                type="primary"
                inline
                size="small"
                disabled={busy}
                onClick={() =>
                  act(() => api.approvals.approve(id, { comment: comment.trim() || undefined }), '已同意')
                }
              >
                同意
              </Button>
              <Button type="danger" inline size="small" disabled={busy} onClick={reject}>
                驳回
              </Button>
            </div>
          </div>
        ) : null}
        {may.withdraw ? (
          <div className="actions">
            <Button
              inline
              size="small"
              disabled={busy}
              onClick={() => act(() => api.approvals.withdraw(id, {}), '已撤回')}
            >
              撤回
            </Button>
          </div>
        ) : null}
        {approval.record && approval.submitterId === session.user()?.id ? (
          <p className="muted">
            <Link to={`/${approval.collection}/${approval.recordId}`}>
              查看{collectionLabel(approval.collection)}
            </Link>
          </p>
        ) : null}
      </div>
    </Page>
  )
}

export default function Approvals() {
  const { id } = useParams()
  return id ? <ApprovalPage /> : <ApprovalList />
}
