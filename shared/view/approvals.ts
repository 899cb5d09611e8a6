import { nounLabel } from '../nouns.js'
import type { Approval, ApprovalStatus, Approver, RecordApproval } from '../schemas/index.js'
import { formatDateTime } from './format.js'

/**
 * 审批 as both apps show it: the three boxes, an instance as a list row, its steps with their decisions,
 * what the signed-in person may do on it, and the 审批中 badge of a record.
 */

export const APPROVAL_BOXES = [
  { box: 'todo', label: '待我审批' },
  { box: 'done', label: '我已审批' },
  { box: 'mine', label: '我发起的' },
] as const
export type ApprovalBoxName = (typeof APPROVAL_BOXES)[number]['box']

export const APPROVAL_STATUS: Record<ApprovalStatus, string> = {
  pending: '审批中',
  approved: '已通过',
  rejected: '已驳回',
  withdrawn: '已撤回',
}

const STEP_STATUS: Record<string, string> = {
  waiting: '未开始',
  pending: '审批中',
  approved: '已通过',
  rejected: '已驳回',
  withdrawn: '已撤回',
}

export const MODE_LABEL = { or: '或签（一人同意即可）', and: '会签（需全部同意）' } as const
export const ROLE_LABEL = { admin: '管理员', manager: '主管', member: '成员' } as const

/** Names of people and departments (the names cache), ids where a name is not known yet. */
export interface Namer {
  user(id: string): string | undefined
  dept(id: string): string | undefined
}

/** What a step's approver type says in words: 提交人的主管, 销售一部负责人, 王二、李四, 角色：管理员. */
export function approverLabel(approver: Approver, names: Namer): string {
  switch (approver.type) {
    case 'manager':
      return '提交人的主管'
    case 'deptLeader':
      return `${(approver.deptId && names.dept(approver.deptId)) || approver.deptId || ''}负责人`
    case 'users':
      return (approver.userIds ?? []).map((id) => names.user(id) ?? id).join('、')
    case 'role':
      return `角色：${approver.role ? ROLE_LABEL[approver.role] : ''}`
  }
}

/** A row of 待我审批 / 我已审批 / 我发起的. */
export const approvalRow = (a: Approval) => ({
  id: a.id,
  title: `${a.flowName}：${a.recordName}`,
  brief: `${nounLabel(a.collection)} · ${a.submitterName} 提交于 ${formatDateTime(a.createdAt)}`,
  extra: APPROVAL_STATUS[a.status],
})

export interface StepView {
  title: string
  status: string
  approvers: string
  decisions: string[]
  current: boolean
}

/** The steps as the detail lists them, each with its decisions (who, 同意/驳回, comment, when). */
export const stepViews = (a: Approval, names: Namer): StepView[] =>
  a.steps.map((step, i) => ({
    title: `第 ${i + 1} 步 · ${approverLabel(step.approver, names)} · ${MODE_LABEL[step.mode]}`,
    status: STEP_STATUS[step.status] ?? step.status,
    approvers: step.approverIds.map((id) => names.user(id) ?? id).join('、'),
    decisions: step.decisions.map(
      (d) =>
        `${names.user(d.userId) ?? d.userId} ${d.decision === 'approve' ? '同意' : '驳回'}` +
        `${d.comment ? `：${d.comment}` : ''}（${formatDateTime(d.at)}）`,
    ),
    current: a.status === 'pending' && i === a.currentStep,
  }))

/** What the signed-in person may do: decide as an undecided approver of the current step, or withdraw. */
export function approvalActions(a: Approval, me: string) {
  const step = a.steps[a.currentStep]
  const decide =
    a.status === 'pending' && !!step?.approverIds.includes(me) && !step.decisions.some((d) => d.userId === me)
  return { approve: decide, reject: decide, withdraw: a.status === 'pending' && a.submitterId === me }
}

/** The badge a governed record shows while it is not in effect: 审批中, 已驳回, 已撤回. */
export const approvalBadge = (approval: RecordApproval | undefined): string | undefined =>
  approval && approval.status !== 'approved' ? APPROVAL_STATUS[approval.status] : undefined

/** 审批意见 longer than this is refused by the API. */
export const COMMENT_MAX = 500
