import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setClock } from '../../functions/core/clock.js'
import { useStack } from '../helpers/stack.js'
import { delivered, linkingTo, todos } from '../scheduler/helpers.js'

/**
 * The whole story of API.md "Approval flows" over HTTP: an admin sets a two-step flow for big contracts
 * (the submitter's leader 或签, then finance 会签); a 150 000 contract waits, counts nowhere, is locked;
 * the leader approves, finance rejects; the salesperson edits and resubmits; all approve and the
 * contract counts in every report and in the customer's 已成交合同金额.
 */
const t = useStack()
const tokens: Record<string, string> = {}
const NOW = Date.parse('2026-05-20T10:00:00+08:00')

beforeAll(async () => {
  setClock(() => NOW)
  for (const user of ['admin', 'mgr1', 'mgr2', 'sales1', 'sales2']) tokens[user] = await t.login(user)
})
afterAll(() => setClock(undefined))

const as = (user: string) => ({
  get: (path: string) => t.http('GET', path, { token: tokens[user] }),
  post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
  patch: (path: string, body: unknown) => t.http('PATCH', path, { token: tokens[user], body }),
  put: (path: string, body: unknown) => t.http('PUT', path, { token: tokens[user], body }),
  del: (path: string) => t.http('DELETE', path, { token: tokens[user] }),
})

const FLOW = {
  name: '大额合同审批',
  collection: 'contracts',
  on: 'create',
  condition: { field: 'amount', op: 'gte', value: 100000 },
  steps: [
    { approver: { type: 'manager' }, mode: 'or' },
    { approver: { type: 'users', userIds: ['admin', 'mgr2'] }, mode: 'and' },
  ],
}
const may = '?from=2026-05-01&to=2026-05-31'
const s = {} as { customerId: string; contractId: string; approvalId: string; version: number }

const todo = async (user: string) =>
  ((await as(user).get('/api/approvals?box=todo')).json.items as { id: string }[]).map((a) => a.id)
/**
 * The scheduler's deliveries, as runs a minute apart (a to-do syncs one delivery at a time); a run at a
 * time resets the clock after it, so the test's clock is set again.
 */
async function deliver() {
  for (const minute of [1, 2, 3]) {
    const at = new Date(NOW + minute * 60_000).toISOString()
    await t.http('POST', '/__dev/scheduler/run', { body: { now: at } })
  }
  setClock(() => NOW)
}
/** the open approval to-dos of a person in DingTalk (the step index of each) */
const openTodos = async (user: string) =>
  (await todos(t, user))
    .filter((x) => x.sourceId.includes('approval.') && !x.done)
    .map((x) => x.sourceId.split('.').at(-1))
const briefing = async (user: string) => (await as(user).get(`/api/reports/briefing${may}`)).json
const wonAmount = async () => (await as('sales1').get(`/api/customers/${s.customerId}`)).json.wonAmount

describe('the flows', () => {
  it('refuses a flow with no steps, an unknown approver or a condition on an unknown field (400 naming it)', async () => {
    const bad = async (flow: object) =>
      (await as('admin').put('/api/settings/approvals', { version: 0, flows: [flow] })).json.error
    expect((await bad({ ...FLOW, steps: [] })).message).toMatch(/^flows\.0\.steps/)
    expect((await bad({ ...FLOW, condition: { field: 'colour', op: 'eq', value: 'red' } })).message).toMatch(
      /^flows\.0\.condition\.field/,
    )
    const unknown = await bad({
      ...FLOW,
      steps: [{ approver: { type: 'users', userIds: ['nobody'] }, mode: 'or' }],
    })
    expect(unknown).toMatchObject({ code: 'validation.failed' })
    expect(unknown.message).toMatch(/^flows\.0\.steps\.0\.approver\.userIds\.0/)
    expect((await as('admin').get('/api/settings/approvals')).json).toEqual({ version: 0, flows: [] })
  })

  it('lets only an admin save, versioned: a stale save is 409', async () => {
    expect((await as('mgr1').put('/api/settings/approvals', { version: 0, flows: [FLOW] })).status).toBe(403)
    const saved = await as('admin').put('/api/settings/approvals', { version: 0, flows: [FLOW] })
    expect(saved.status).toBe(200)
    expect(saved.json).toMatchObject({ version: 1, flows: [{ ...FLOW, enabled: true }] })
    expect((await as('admin').put('/api/settings/approvals', { version: 0, flows: [] })).status).toBe(409)
  })
})

describe('a contract under approval', () => {
  it('is saved 审批中 and counts nowhere', async () => {
    s.customerId = (await as('sales1').post('/api/customers', { name: '审批故事客户' })).json.id
    const small = await as('sales1').post('/api/contracts', {
      number: 'SP-1',
      name: '小合同',
      customerId: s.customerId,
      amount: 5000,
      signedAt: '2026-05-18',
    })
    expect(small.json.approval).toBeUndefined()
    const { status, json } = await as('sales1').post('/api/contracts', {
      number: 'SP-2',
      name: '大合同',
      customerId: s.customerId,
      amount: 150000,
      signedAt: '2026-05-19',
    })
    expect(status).toBe(201)
    expect(json.approval).toMatchObject({ status: 'pending', flowName: '大额合同审批' })
    Object.assign(s, { contractId: json.id, approvalId: json.approval.id, version: json.version })
    expect((await briefing('sales1')).contractAmount).toBe(5000)
    expect(await wonAmount()).toBe(5000)
  })

  it('may not be edited or deleted while pending (422 approval.pending)', async () => {
    const edit = await as('sales1').patch(`/api/contracts/${s.contractId}`, {
      name: '改名',
      version: s.version,
    })
    expect(edit.json.error.code).toBe('approval.pending')
    expect((await as('sales1').del(`/api/contracts/${s.contractId}`)).json.error.code).toBe(
      'approval.pending',
    )
  })

  it('waits in the leader’s 待我审批 only, who gets a card opening the approval', async () => {
    expect(await todo('mgr1')).toEqual([s.approvalId])
    expect(await todo('mgr2')).toEqual([])
    expect((await as('sales1').get('/api/approvals?box=mine')).json.items[0]).toMatchObject({
      id: s.approvalId,
      status: 'pending',
      currentStep: 0,
      recordName: 'SP-2 大合同',
      submitterName: '王靓依',
    })
    await deliver()
    const cards = linkingTo(await delivered(t), s.approvalId)
    expect(cards.map((c) => [c.title, c.to.userIds])).toEqual([['待你审批：大额合同审批', ['mgr1']]])
    const [task] = await todos(t, 'mgr1')
    expect(task).toMatchObject({ executors: ['mgr1'], done: false })
    expect(task.sourceId).toMatch(new RegExp(`approval\\.${s.approvalId}\\.0$`))
    expect(task.subject).toContain('合同「SP-2 大合同」')
    expect(decodeURIComponent(task.detailUrl.appUrl!)).toContain(`pages/approval/detail?id=${s.approvalId}`)
    // from a PC the to-do opens the approval in the H5 app
    expect(task.detailUrl.pcUrl).toMatch(new RegExp(`^https?://[^/]+/approvals/${s.approvalId}$`))
  })

  it('lets an approver read the record through the approval, not others', async () => {
    const { json } = await as('mgr2').get(`/api/approvals/${s.approvalId}`)
    expect(json.record).toMatchObject({ id: s.contractId, amount: 150000 })
    expect((await as('mgr2').get(`/api/contracts/${s.contractId}`)).status).toBe(404)
    expect((await as('sales2').get(`/api/approvals/${s.approvalId}`)).status).toBe(404)
  })

  it('moves to finance once the leader approves; deciding again is 409, someone off the step 404', async () => {
    expect((await as('mgr2').post(`/api/approvals/${s.approvalId}/approve`)).status).toBe(404)
    const { status, json } = await as('mgr1').post(`/api/approvals/${s.approvalId}/approve`, {
      comment: '同意',
    })
    expect(status).toBe(200)
    expect(json).toMatchObject({ status: 'pending', currentStep: 1 })
    expect(json.steps[0]).toMatchObject({
      status: 'approved',
      decisions: [{ userId: 'mgr1', decision: 'approve', comment: '同意' }],
    })
    expect((await as('mgr1').post(`/api/approvals/${s.approvalId}/approve`)).json.error.code).toBe(
      'approval.already_decided',
    )
    expect(await todo('mgr1')).toEqual([])
    expect(await todo('mgr2')).toEqual([s.approvalId])
    expect(
      (await as('mgr1').get('/api/approvals?box=done')).json.items.map((a: { id: string }) => a.id),
    ).toEqual([s.approvalId])
    // the leader's to-do is done, finance's is open in DingTalk
    await deliver()
    expect(await openTodos('mgr1')).toEqual([])
    expect(await openTodos('admin')).toEqual(['1'])
    expect(await openTodos('mgr2')).toEqual(['1'])
  })

  it('is rejected by one finance approver: it ends, and the contract still counts nowhere', async () => {
    expect((await as('mgr2').post(`/api/approvals/${s.approvalId}/reject`, {})).status).toBe(400)
    const { json } = await as('mgr2').post(`/api/approvals/${s.approvalId}/reject`, { comment: '金额有误' })
    expect(json).toMatchObject({ status: 'rejected' })
    expect(await todo('admin')).toEqual([])
    await deliver()
    expect(await openTodos('admin')).toEqual([])
    const contract = (await as('sales1').get(`/api/contracts/${s.contractId}`)).json
    expect(contract.approval.status).toBe('rejected')
    expect((await briefing('sales1')).contractAmount).toBe(5000)
    s.version = contract.version
  })

  it('is edited and resubmitted as a new instance', async () => {
    const edited = await as('sales1').patch(`/api/contracts/${s.contractId}`, {
      amount: 160000,
      version: s.version,
    })
    expect(edited.json).toMatchObject({ amount: 160000, approval: { status: 'rejected' } })
    const { status, json } = await as('sales1').post(`/api/contracts/${s.contractId}/submit`)
    expect(status).toBe(200)
    expect(json.approval.status).toBe('pending')
    expect(json.approval.id).not.toBe(s.approvalId)
    s.approvalId = json.approval.id
  })

  it('counts in every report and in wonAmount once all approve, and the submitter is told', async () => {
    await as('mgr1').post(`/api/approvals/${s.approvalId}/approve`)
    expect((await as('admin').post(`/api/approvals/${s.approvalId}/approve`)).json.status).toBe('pending')
    expect((await briefing('admin')).contractAmount).toBe(5000)
    const last = await as('mgr2').post(`/api/approvals/${s.approvalId}/approve`)
    expect(last.json).toMatchObject({ status: 'approved', decidedAt: expect.any(String) })
    expect((await briefing('sales1')).contractAmount).toBe(165000)
    expect((await briefing('mgr1')).contractAmount).toBe(165000)
    expect(await wonAmount()).toBe(165000)
    const perf = (await as('admin').get(`/api/reports/performance${may}&groupBy=user`)).json
    expect(perf.rows.find((r: { id: string }) => r.id === 'sales1').contractAmount).toBe(165000)
    await deliver()
    const results = linkingTo(await delivered(t), s.approvalId).filter((c) =>
      c.to.userIds?.includes('sales1'),
    )
    expect(results.map((c) => c.title)).toEqual(['审批已通过：大额合同审批'])
    // every step's to-do was ticked off once its step was decided (会签: once all approved)
    for (const user of ['mgr1', 'admin', 'mgr2']) expect(await openTodos(user)).toEqual([])
  })

  it('shows every step in the customer’s 动态', async () => {
    const { json } = await as('sales1').get(`/api/customers/${s.customerId}/timeline?limit=50`)
    const steps = (json.items as { action: string }[])
      .map((a) => a.action)
      .filter((a) => a.startsWith('approval.'))
    expect(steps.reverse()).toEqual([
      'approval.submitted',
      'approval.approved',
      'approval.rejected',
      'approval.submitted',
      'approval.approved',
      'approval.approved',
      'approval.approved',
    ])
  })
})
