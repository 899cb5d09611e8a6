/**
 * 审批: a decision's DynamoDB calls (goal: reads + one transaction) and 待我审批 at 10 and at 10 000
 * pending instances in the tenant (same calls; latency within 1.2×). The 10 000 are bulk-written
 * (BatchWriteItem) as the API stores them — the instances and their 待我审批 entries, all waiting for the
 * same manager, the worst case for his box — since writing them through the API would take far longer
 * than the measurement.
 */
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { ulid } from 'ulid'
import { signSession } from '../functions/core/session.js'
import { ApprovalBoxEntity, ApprovalEntity } from '../functions/db/entities/approvals.js'
import { tenantKey, TAG } from '../functions/db/entities/record.js'
import { boxPartition } from '../functions/domain/approvals/instances.js'
import { fc3, ms, printTable, sideBySide } from './lib.js'
import { at, batchPut, seedOrg } from './org.js'

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>

const DEPTS = [
  { id: '1', name: '公司', path: ['1'] },
  { id: '11', name: '销售一部', parentId: '1', path: ['1', '11'] },
]
const USERS = [
  { id: 'boss', deptId: '1' },
  { id: 'm1', deptId: '11' },
  { id: 's1', deptId: '11' },
]

const token = async (
  tenantId: string,
  userId: string,
  role: 'admin' | 'manager' | 'member',
  scope: string[] = [],
) =>
  (
    await signSession({
      tenantId,
      userId,
      name: userId,
      role,
      deptIds: [userId === 'boss' ? '1' : '11'],
      scopeDeptIds: scope,
    })
  ).token

async function call(
  fn: Handler,
  t: string,
  method: string,
  path: string,
  body?: unknown,
  query?: Record<string, string>,
) {
  const response = await fn(fc3(t, method, path, body, query), {})
  if (response.statusCode >= 300)
    throw new Error(`${method} ${path} → ${response.statusCode} ${response.body}`)
  return response
}
const calls = (r: { headers?: Record<string, string> }) =>
  Number(/calls=(\d+)/.exec(r.headers?.['server-timing'] ?? '')?.[1])

/** `count` pending contract approvals waiting for m1, with his 待我审批 entries. */
async function loadPending(tenantId: string, count: number) {
  const items: unknown[] = []
  for (let i = 0; i < count; i++) {
    const id = ulid()
    items.push(
      ApprovalEntity.build(BatchPutRequest).item({
        tenantId,
        id,
        flowId: 'F1',
        flowName: '合同审批',
        collection: 'contracts',
        on: 'create',
        recordId: ulid(),
        recordName: `压测合同 ${i}`,
        customerId: 'C1',
        submitterId: 's1',
        submitterName: 's1',
        status: 'pending',
        currentStep: 0,
        steps: [
          {
            approver: { type: 'manager' },
            approverIds: ['m1'],
            mode: 'or',
            status: 'pending',
            decisions: [],
          },
        ],
        createdAt: at,
        updatedAt: at,
        version: 1,
        gsi1pk: tenantKey(tenantId, TAG.approval),
        gsi1sk: id,
        gsi2pk: tenantKey(tenantId, TAG.approval, 'MINE', 's1'),
        gsi2sk: id,
      }),
      ApprovalBoxEntity.build(BatchPutRequest).item({
        tenantId,
        approvalId: id,
        box: 'TODO',
        userId: 'm1',
        collection: 'contracts',
        gsi2pk: boxPartition(tenantId, 'TODO', 'm1'),
        gsi2sk: id,
      }),
    )
  }
  await batchPut(items)
}

export async function benchApprovals(iterations = 30, bulk = Number(process.env.BENCH_APPROVALS ?? 10_000)) {
  const { handler: approvals } = (await import('../functions/approvals/handler.js')) as { handler: Handler }
  const { handler: contracts } = (await import('../functions/contracts/handler.js')) as { handler: Handler }
  const { handler: customers } = (await import('../functions/customers/handler.js')) as { handler: Handler }

  const tenants = { small: 'bench-approvals-10', large: 'bench-approvals-large' }
  const tokens: Record<string, { boss: string; m1: string; s1: string }> = {}
  for (const [size, tenantId] of Object.entries(tenants)) {
    await seedOrg(tenantId, DEPTS, USERS)
    tokens[size] = {
      boss: await token(tenantId, 'boss', 'admin'),
      m1: await token(tenantId, 'm1', 'manager', ['11']),
      s1: await token(tenantId, 's1', 'member'),
    }
    await call(approvals, tokens[size].boss, 'PUT', '/api/settings/approvals', {
      version: 0,
      flows: [
        {
          name: '合同审批',
          collection: 'contracts',
          on: 'create',
          steps: [{ approver: { type: 'manager' }, mode: 'or' }],
        },
      ],
    })
    await loadPending(tenantId, size === 'small' ? 10 : bulk)
  }

  // what one decision costs, through the handlers (the small tenant)
  const { s1, m1 } = tokens.small
  const customer = JSON.parse(
    (await call(customers, s1, 'POST', '/api/customers', { name: '审批压测客户' })).body,
  )
  const contract = async (n: number) =>
    call(contracts, s1, 'POST', '/api/contracts', {
      number: `AB-${n}`,
      name: `审批压测 ${n}`,
      customerId: customer.id,
      amount: 150000,
      signedAt: '2026-05-20',
    })
  const created = await contract(1)
  const approvalId = JSON.parse(created.body).approval.id
  const approve = await call(approvals, m1, 'POST', `/api/approvals/${approvalId}/approve`, {
    comment: '同意',
  })
  const second = JSON.parse((await contract(2)).body).approval.id
  const reject = await call(approvals, m1, 'POST', `/api/approvals/${second}/reject`, { comment: '不同意' })
  const third = JSON.parse((await contract(3)).body).approval.id
  const withdraw = await call(approvals, s1, 'POST', `/api/approvals/${third}/withdraw`, {})
  const detail = await call(approvals, m1, 'GET', `/api/approvals/${approvalId}`)
  printTable('审批: DynamoDB calls per request (reads + one TransactWriteItems)', [
    { request: 'create a governed contract (customer, flows, directory ×2, tx)', calls: calls(created) },
    {
      request: '同意 (instance, record, tx: instance + record + counters + 动态 + card + to-do)',
      calls: calls(approve),
    },
    { request: '驳回', calls: calls(reject) },
    { request: '撤回', calls: calls(withdraw) },
    { request: 'an approval with its record', calls: calls(detail) },
  ])

  // 待我审批 at 10 and at `bulk` pending instances, alternately
  const todo = (size: 'small' | 'large') => () =>
    call(approvals, tokens[size].m1, 'GET', '/api/approvals', undefined, { box: 'todo', limit: '10' })
  const smallCalls = calls(await todo('small')())
  const largeCalls = calls(await todo('large')())
  const latency = await sideBySide(iterations, todo('large'), todo('small'))
  const mine = (size: 'small' | 'large') => () =>
    call(approvals, tokens[size].s1, 'GET', '/api/approvals', undefined, { box: 'mine', limit: '10' })
  const mineLatency = await sideBySide(iterations, mine('large'), mine('small'))
  printTable(
    `审批: a page of 10 (as many as the small tenant holds) at 10 vs ${bulk} pending instances in the tenant (medians of ${iterations})`,
    [
      {
        list: '待我审批 (Query + BatchGetItem)',
        'calls (10)': smallCalls,
        [`calls (${bulk})`]: largeCalls,
        '10': ms(latency.baseline),
        [String(bulk)]: ms(latency.ours),
        ratio: latency.ratio.toFixed(2),
      },
      {
        list: '我发起的 (Query)',
        'calls (10)': calls(await mine('small')()),
        [`calls (${bulk})`]: calls(await mine('large')()),
        '10': ms(mineLatency.baseline),
        [String(bulk)]: ms(mineLatency.ours),
        ratio: mineLatency.ratio.toFixed(2),
      },
    ],
  )
}
