import type { ApprovalDetail } from '../../../../shared/schemas/index.js'
import {
  APPROVAL_STATUS,
  approvalActions,
  COMMENT_MAX,
  stepViews,
  type StepView,
} from '../../../../shared/view/approvals.js'
import { formatDateTime, formatMoney } from '../../../../shared/view/format.js'
import { nounLabel } from '../../../../shared/nouns.js'
import { api, currentUser } from '../../api/session.js'
import { ddApi, definePage, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { choicesFor, nameOf } from '../../lib/names.js'
import { markStale } from '../../lib/stale.js'

interface DetailData {
  id: string
  title: string
  status: string
  fields: { label: string; value: string }[]
  steps: StepView[]
  canApprove: boolean
  canReject: boolean
  canWithdraw: boolean
  comment: string
  commentMax: number
  busy: boolean
  loaded: boolean
  error: string
}
type DetailThis = PageInstance<DetailData>

const names = {
  user: (id: string) => nameOf({ name: 'ownerId', label: '', kind: 'user' }, id),
  dept: (id: string) => nameOf({ name: 'deptId', label: '', kind: 'dept' }, id),
}

/** The record's summary as the approver reads it (read-only, through the approval). */
function fieldsOf(a: ApprovalDetail) {
  const record = a.record ?? {}
  const yuan = record.amount
  return [
    { label: '类型', value: nounLabel(a.collection) },
    { label: '记录', value: a.recordName },
    ...(typeof yuan === 'number' ? [{ label: '金额', value: formatMoney(Math.round(yuan * 100)) }] : []),
    { label: '提交人', value: a.submitterName },
    { label: '提交时间', value: formatDateTime(a.createdAt) },
    ...(a.decidedAt ? [{ label: '完成时间', value: formatDateTime(a.decidedAt) }] : []),
    ...(a.record ? [] : [{ label: '说明', value: '记录已删除' }]),
  ]
}

async function load(page: DetailThis) {
  page.setData({ error: '' })
  try {
    const [a] = await Promise.all([
      api().approvals.get(page.data.id),
      // people's names in the steps (the directory, once per app start)
      choicesFor({ name: 'ownerId', label: '', kind: 'user' }).catch(() => []),
    ])
    const actions = approvalActions(a, currentUser()?.id ?? '')
    page.setData({
      title: a.flowName,
      status: APPROVAL_STATUS[a.status],
      fields: fieldsOf(a),
      steps: stepViews(a, names),
      canApprove: actions.approve,
      canReject: actions.reject,
      canWithdraw: actions.withdraw,
      loaded: true,
    })
  } catch (error) {
    page.setData({ error: errorText(error) })
  }
}

/** One decision, then the approval as it now is; a refusal (409 already decided...) says why. */
async function act(page: DetailThis, run: () => Promise<unknown>, done: string) {
  if (page.data.busy) return
  page.setData({ busy: true })
  try {
    await run()
    markStale('approvals')
    page.setData({ comment: '' })
    ddApi().showToast({ content: done, type: 'success' })
  } catch (error) {
    ddApi().showToast({ content: errorText(error), type: 'fail' })
  } finally {
    page.setData({ busy: false })
  }
  return load(page)
}

/** 审批详情 (what the DingTalk card opens): the record, every step with its comments, 同意 / 驳回 / 撤回. */
definePage({
  data: {
    id: '',
    title: '',
    status: '',
    fields: [],
    steps: [],
    canApprove: false,
    canReject: false,
    canWithdraw: false,
    comment: '',
    commentMax: COMMENT_MAX,
    busy: false,
    loaded: false,
    error: '',
  } as DetailData,
  onLoad(this: DetailThis, query: { id?: string } = {}) {
    this.setData({ id: query.id ?? '' })
    return load(this)
  },
  onRetry(this: DetailThis) {
    return load(this)
  },
  onCommentInput(this: DetailThis, event: { detail: { value: string } }) {
    this.setData({ comment: event.detail.value })
  },
  onApprove(this: DetailThis) {
    const comment = this.data.comment.trim() || undefined
    return act(this, () => api().approvals.approve(this.data.id, { comment }), '已同意')
  },
  onReject(this: DetailThis) {
    const comment = this.data.comment.trim()
    if (!comment) {
      ddApi().showToast({ content: '请填写驳回理由', type: 'fail' })
      return
    }
    return act(this, () => api().approvals.reject(this.data.id, { comment }), '已驳回')
  },
  onWithdraw(this: DetailThis) {
    return act(this, () => api().approvals.withdraw(this.data.id, {}), '已撤回')
  },
})
