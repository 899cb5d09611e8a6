import { describe, expect, it } from 'vitest'
import { LOGIN } from './fake-api.js'
import { fakeDd, type HttpAnswer, type HttpCall, loadPage } from './host.js'

/**
 * 审批 in the mini-program: the three boxes and the approval a DingTalk card opens, on a fake API that
 * keeps one contract approval waiting for sales1 (王靓依) as 或签 approver.
 */
const T0 = '2026-03-01T01:00:00Z'
function fakeApprovals() {
  const approval = {
    id: 'A1',
    flowId: 'F1',
    flowName: '大额合同审批',
    collection: 'contracts',
    recordId: 'K1',
    recordName: 'HT-1 年度服务',
    submitterId: 'sales2',
    submitterName: '郑纬祺',
    status: 'pending' as string,
    currentStep: 0,
    steps: [
      {
        approver: { type: 'users', userIds: ['sales1', 'mgr1'] },
        approverIds: ['sales1', 'mgr1'],
        mode: 'or',
        status: 'pending' as string,
        decisions: [] as { userId: string; decision: string; comment?: string; at: string }[],
      },
    ],
    createdAt: T0,
    decidedAt: null as string | null,
    version: 1,
  }
  const users = [
    ['sales1', '王靓依'],
    ['sales2', '郑纬祺'],
    ['mgr1', '刘琦'],
  ].map(([id, name]) => ({
    id,
    name,
    avatar: '',
    deptIds: ['201'],
    leaderDeptIds: [],
    role: 'member',
    roleOverride: null,
    active: true,
    createdAt: T0,
    updatedAt: T0,
    version: 1,
  }))
  const http = (request: HttpCall): HttpAnswer => {
    const url = new URL(request.url)
    const path = url.pathname
    if (path === '/api/users') return { status: 200, body: { items: users, nextCursor: null } }
    if (path === '/api/depts') return { status: 200, body: { items: [], nextCursor: null } }
    if (path === '/api/settings/stages') return { status: 200, body: [] }
    if (path === '/api/approvals') {
      const box = url.searchParams.get('box')
      const items = box === 'todo' && approval.status === 'pending' ? [approval] : box === 'mine' ? [] : []
      return { status: 200, body: { items, nextCursor: null } }
    }
    if (path === '/api/contracts/K1')
      return {
        status: 200,
        body: {
          id: 'K1',
          createdAt: T0,
          createdBy: 'sales2',
          updatedAt: T0,
          version: 1,
          number: 'HT-1',
          name: '年度服务',
          customerId: 'C001',
          opportunityId: null,
          type: 'service',
          amount: 150000,
          signedAt: '2026-03-01',
          ownerId: 'sales2',
          deptId: '201',
          receivedAmount: 0,
          invoicedAmount: 0,
          outstandingAmount: 150000,
          plannedAmount: 0,
          approval: { id: 'A1', status: approval.status, flowName: approval.flowName },
        },
      }
    if (path === '/api/approvals/A1')
      return { status: 200, body: { ...approval, record: { id: 'K1', amount: 150000 } } }
    if (path === '/api/approvals/A1/approve' || path === '/api/approvals/A1/reject') {
      const decision = path.endsWith('approve') ? 'approve' : 'reject'
      if (approval.status !== 'pending')
        return { status: 409, body: { error: { code: 'approval.already_decided', message: '该审批已处理' } } }
      approval.steps[0].decisions.push({ userId: 'sales1', decision, comment: request.body?.comment, at: T0 })
      approval.steps[0].status = approval.status = decision === 'approve' ? 'approved' : 'rejected'
      approval.decidedAt = T0
      return { status: 200, body: approval }
    }
    return { status: 404, body: { error: { code: 'route.not_found', message: '接口不存在' } } }
  }
  return { http, approval }
}

async function open(page: string, crm = fakeApprovals()) {
  const host = fakeDd({ http: crm.http })
  host.dd.setStorageSync({ key: 'crm.session', data: LOGIN })
  host.calls.length = 0
  return { host, crm, page: await loadPage(`../../miniapp/src/pages/${page}.ts`, host.dd) }
}

describe('审批 lists', () => {
  it('opens on 待我审批 with the approval as a row, and switches to 我发起的', async () => {
    const { page, host } = await open('approval/list')
    await page.callMethod('onLoad', {})
    expect(page.data.rows).toEqual([
      {
        id: 'A1',
        title: '大额合同审批：HT-1 年度服务',
        brief: '合同 · 郑纬祺 提交于 2026-03-01 09:00',
        extra: '审批中',
      },
    ])
    await page.callMethod('onTabTap', { currentTarget: { dataset: { box: 'mine' } } })
    expect(page.data).toMatchObject({ box: 'mine', rows: [], empty: true })
    const boxes = host.requests().filter((r) => r.url.pathname === '/api/approvals')
    expect(boxes.map((r) => r.url.searchParams.get('box'))).toEqual(['todo', 'mine'])
  })
})

describe('审批详情', () => {
  it('shows the record, the step with its approvers by name, and 同意 / 驳回 for an approver', async () => {
    const { page } = await open('approval/detail')
    await page.callMethod('onLoad', { id: 'A1' })
    expect(page.data).toMatchObject({
      title: '大额合同审批',
      status: '审批中',
      canApprove: true,
      canWithdraw: false,
    })
    expect(page.data.fields).toContainEqual({ label: '金额', value: '¥150,000.00' })
    expect(page.data.steps[0]).toMatchObject({ status: '审批中', approvers: '王靓依、刘琦', current: true })
  })

  it('asks for a reason before rejecting, then rejects with it and shows the decision', async () => {
    const { page, host, crm } = await open('approval/detail')
    await page.callMethod('onLoad', { id: 'A1' })
    await page.callMethod('onReject')
    expect(host.callsTo('showToast')).toEqual([{ content: '请填写驳回理由', type: 'fail' }])
    expect(crm.approval.status).toBe('pending')
    await page.callMethod('onCommentInput', { detail: { value: '价格太低' } })
    await page.callMethod('onReject')
    expect(crm.approval.steps[0].decisions[0]).toMatchObject({ decision: 'reject', comment: '价格太低' })
    expect(page.data).toMatchObject({ status: '已驳回', canApprove: false, comment: '' })
    expect(page.data.steps[0].decisions[0]).toMatch(/^王靓依 驳回：价格太低/)
  })

  it('approves, and tells why when someone decided first (409)', async () => {
    const crm = fakeApprovals()
    const first = await open('approval/detail', crm)
    await first.page.callMethod('onLoad', { id: 'A1' })
    const second = await open('approval/detail', crm)
    await second.page.callMethod('onLoad', { id: 'A1' })
    await first.page.callMethod('onApprove')
    expect(first.page.data.status).toBe('已通过')
    await second.page.callMethod('onApprove')
    expect(second.host.callsTo('showToast').at(-1)).toEqual({ content: '该审批已处理', type: 'fail' })
    expect(second.page.data.status).toBe('已通过')
  })
})

describe('a record under approval', () => {
  it('shows 审批中 beside the contract’s title, and nothing once approved', async () => {
    const crm = fakeApprovals()
    const { page } = await open('contract/detail', crm)
    await page.callMethod('onLoad', { id: 'K1' })
    expect(page.data).toMatchObject({ title: '年度服务', badge: '审批中' })
    crm.approval.status = 'approved'
    await page.callMethod('onLoad', { id: 'K1' })
    expect(page.data.badge).toBe('')
  })
})
