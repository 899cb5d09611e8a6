/**
 * Reports at two data sizes, in one run: each report's DynamoDB calls and median latency (our handler,
 * the whole middy stack, called with Function Compute 3 events) for a tenant with 1 k contracts and a
 * tenant with 100 k, in the same table, measured alternately (so both see the same machine state), and
 * the calls each mutation makes. Loading 100 k contracts through the API would take far
 * longer than the measurement, so the bulk is written with BatchWriteItem: the contract items as the
 * API stores them (same entity, same index keys) and the report counters they add up to (the same
 * `contributionCounts` the transactions use) — what the API would have left behind.
 */
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { ulid } from 'ulid'
import { withIndexKeys } from '../functions/db/collection.js'
import { counterItems } from '../functions/db/counters.js'
import { CustomerEntity, EntryEntity } from '../functions/db/entities/lifecycle.js'
import { contractContributions, type ContractRecord, Contracts } from '../functions/domain/contracts/index.js'
import { customerItems, type CustomerRecord } from '../functions/domain/customers/index.js'
import { contributionCounts } from '../functions/domain/stats/contributions.js'
import { signSession } from '../functions/core/session.js'
import { ms, printTable, sideBySide, fc3 } from './lib.js'
import { at, batchPut, putItems, seedOrg } from './org.js'

const DEPTS = [
  { id: '1', name: '公司', path: ['1'] },
  { id: '10', name: '销售部', parentId: '1', path: ['1', '10'] },
  { id: '11', name: '销售一部', parentId: '10', path: ['1', '10', '11'] },
  { id: '12', name: '销售二部', parentId: '10', path: ['1', '10', '12'] },
]
const USERS = [
  { id: 'boss', deptId: '1' },
  { id: 'm1', deptId: '11' },
  { id: 's1', deptId: '11' },
  { id: 's2', deptId: '11' },
  { id: 's3', deptId: '12' },
  { id: 's4', deptId: '12' },
]
const SELLERS = USERS.slice(1)

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>

/** `count` contracts spread over 2026, and the report counters they add up to; returns their sum. */
async function loadContracts(tenantId: string, count: number, customerId: string): Promise<number> {
  const counters = new Map<string, number>()
  let totalAmount = 0
  const records: ContractRecord[] = []
  for (let i = 0; i < count; i++) {
    const owner = SELLERS[i % SELLERS.length]
    const amount = 1 + ((i * 7919) % 10_000_000)
    const day = new Date(Date.UTC(2026, 0, 1) + ((i * 37) % 365) * 86_400_000).toISOString().slice(0, 10)
    const record = {
      tenantId,
      id: ulid(),
      createdAt: at,
      createdBy: owner.id,
      updatedAt: at,
      version: 1,
      number: `B-${ulid()}`,
      name: `合同 ${i}`,
      customerId,
      type: 'product',
      amount,
      signedAt: day,
      ownerId: owner.id,
      deptId: owner.deptId,
      receivedAmount: 0,
      invoicedAmount: 0,
      outstandingAmount: amount,
      uninvoicedAmount: amount,
      plannedAmount: 0,
      childCount: 0,
    } as ContractRecord
    records.push(record)
    totalAmount += amount
    for (const [name, value] of contributionCounts(contractContributions(record))) {
      counters.set(name, (counters.get(name) ?? 0) + value)
    }
  }
  await batchPut(
    records.map((r) => Contracts.entity.build(BatchPutRequest).item(withIndexKeys(Contracts, r))),
  )
  await putItems(
    counterItems(
      tenantId,
      [...counters].map(([name, count]) => ({ counter: { name }, count })),
    ),
  )
  return totalAmount
}

interface Tenant {
  tenantId: string
  customerId: string
  admin: string
  manager: string
  member: string
}

const token = async (
  tenantId: string,
  userId: string,
  role: 'admin' | 'manager' | 'member',
  deptId: string,
  scope: string[] = [],
) =>
  (await signSession({ tenantId, userId, name: userId, role, deptIds: [deptId], scopeDeptIds: scope })).token

/** A tenant with its org, a customer, two targets and `count` contracts. */
async function prepareTenant(tenantId: string, count: number, call: Call, targets: Handler) {
  await seedOrg(tenantId, DEPTS, USERS)
  const customerId = ulid()
  // the customer the contracts hang off, with the entries the API would have written (its recycle clocks)
  const { record, entries, counters } = customerItems({
    tenantId,
    id: customerId,
    name: '压测客户',
    ownerId: 's1',
    deptId: '11',
    ownedSince: at,
    wonAmount: 0,
    createdAt: at,
    createdBy: 's1',
    updatedAt: at,
    version: 1,
  } as CustomerRecord)
  await batchPut([
    CustomerEntity.build(BatchPutRequest).item(record as never),
    ...entries.map((entry) => EntryEntity.build(BatchPutRequest).item(entry)),
  ])
  await putItems(
    counterItems(
      tenantId,
      counters.map(({ delta, ...counter }) => ({ counter, count: delta })),
    ),
  )
  const tenant: Tenant = {
    tenantId,
    customerId,
    admin: await token(tenantId, 'boss', 'admin', '1'),
    manager: await token(tenantId, 'm1', 'manager', '11', ['11']),
    member: await token(tenantId, 's1', 'member', '11'),
  }
  for (const [scope, subjectId] of [
    ['dept', '10'],
    ['user', 's1'],
  ]) {
    await call(targets, tenant.admin, 'POST', '/api/targets', {
      scope,
      subjectId,
      metric: 'contractAmount',
      year: 2026,
      months: Array(12).fill(1000000),
    })
  }
  const started = performance.now()
  const total = await loadContracts(tenantId, count, customerId)
  return { tenant, total, seconds: (performance.now() - started) / 1000 }
}

type Call = (
  fn: Handler,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  query?: Record<string, string>,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>

const call: Call = async (fn, t, method, path, body, query) => {
  const response = await fn(fc3(t, method, path, body, query), {})
  if (response.statusCode >= 300)
    throw new Error(`${method} ${path} → ${response.statusCode} ${response.body}`)
  return response
}
const calls = (r: { headers?: Record<string, string> }) =>
  Number(/calls=(\d+)/.exec(r.headers?.['server-timing'] ?? '')?.[1])

export async function benchReports(
  iterations = 30,
  bulk = Number(process.env.BENCH_REPORT_CONTRACTS ?? 100_000),
) {
  const { handler: reports } = (await import('../functions/reports/handler.js')) as { handler: Handler }
  const { handler: contracts } = (await import('../functions/contracts/handler.js')) as { handler: Handler }
  const { handler: payments } = (await import('../functions/payments/handler.js')) as { handler: Handler }
  const { handler: targets } = (await import('../functions/targets/handler.js')) as { handler: Handler }

  const small = await prepareTenant('bench-reports-1k', 1000, call, targets)
  const large = await prepareTenant('bench-reports-large', bulk, call, targets)
  // the reports must be right before their speed matters
  for (const { tenant, total } of [small, large]) {
    const r = await call(reports, tenant.admin, 'GET', '/api/reports/briefing', undefined, {
      from: '2026-01-01',
      to: '2026-12-31',
    })
    const got = Math.round(JSON.parse(r.body).contractAmount * 100)
    if (got !== total)
      throw new Error(`${tenant.tenantId}: briefing says ${got} fen, the contracts sum to ${total}`)
  }

  const cases: [string, keyof Omit<Tenant, 'tenantId' | 'customerId'>, string, Record<string, string>][] = [
    ['briefing (admin, year)', 'admin', '/api/reports/briefing', { from: '2026-01-01', to: '2026-12-31' }],
    ['briefing (member, month)', 'member', '/api/reports/briefing', { from: '2026-03-01', to: '2026-03-31' }],
    ['targets (admin)', 'admin', '/api/reports/targets', { year: '2026', metric: 'contractAmount' }],
    [
      'performance (manager, by user, 10 days)',
      'manager',
      '/api/reports/performance',
      { from: '2026-03-05', to: '2026-03-14', groupBy: 'user' },
    ],
    [
      'performance (admin, by dept, month)',
      'admin',
      '/api/reports/performance',
      { from: '2026-03-01', to: '2026-03-31', groupBy: 'dept' },
    ],
    ['payments (admin, year)', 'admin', '/api/reports/payments', { year: '2026' }],
    [
      'funnel (manager, half year)',
      'manager',
      '/api/reports/funnel',
      { from: '2026-01-01', to: '2026-06-30' },
    ],
  ]
  const k = `${bulk / 1000}k`
  const rows: Record<string, string | number>[] = []
  for (const [name, who, path, query] of cases) {
    const get = (tenant: Tenant) => call(reports, tenant[who], 'GET', path, undefined, query)
    const result = await sideBySide(
      iterations,
      () => get(large.tenant),
      () => get(small.tenant),
    )
    rows.push({
      report: name,
      'calls @1k': calls(await get(small.tenant)),
      [`calls @${k}`]: calls(await get(large.tenant)),
      'p50 @1k': ms(result.baseline),
      [`p50 @${k}`]: ms(result.ours),
      ratio: `${result.ratio.toFixed(2)}×`,
    })
  }
  printTable(
    `Reports with 1 k and ${k} contracts in the tenant (${iterations} alternating iterations, medians; ${k} bulk-loaded in ${large.seconds.toFixed(0)} s)`,
    rows,
  )

  // Calls per mutation: reads, then exactly one TransactWriteItems (Server-Timing counts both).
  const { admin, customerId } = large.tenant
  const mutations: Record<string, string | number>[] = []
  const created = await call(contracts, admin, 'POST', '/api/contracts', {
    number: `M-${ulid()}`,
    name: '变更',
    customerId,
    amount: 1000,
    signedAt: '2026-03-01',
  })
  const contract = JSON.parse(created.body)
  mutations.push({
    mutation: 'create contract',
    'ddb calls': calls(created),
    reads: 'customer',
    transactions: 1,
  })
  const edited = await call(contracts, admin, 'PATCH', `/api/contracts/${contract.id}`, {
    amount: 2000,
    version: 1,
  })
  mutations.push({
    mutation: 'edit contract amount',
    'ddb calls': calls(edited),
    reads: 'contract',
    transactions: 1,
  })
  const paid = await call(payments, admin, 'POST', '/api/payments', {
    contractId: contract.id,
    receivedAt: '2026-03-02',
    amount: 100,
  })
  const payment = JSON.parse(paid.body)
  mutations.push({
    mutation: 'create payment',
    'ddb calls': calls(paid),
    reads: 'contract, settings',
    transactions: 1,
  })
  const repaid = await call(payments, admin, 'PATCH', `/api/payments/${payment.id}`, {
    amount: 150,
    version: 1,
  })
  mutations.push({
    mutation: 'edit payment',
    'ddb calls': calls(repaid),
    reads: 'payment, contract, settings',
    transactions: 1,
  })
  const removed = await call(payments, admin, 'DELETE', `/api/payments/${payment.id}`)
  mutations.push({
    mutation: 'delete payment',
    'ddb calls': calls(removed),
    reads: 'payment',
    transactions: 1,
  })
  const { version } = JSON.parse((await call(contracts, admin, 'GET', `/api/contracts/${contract.id}`)).body)
  const owner = await call(contracts, admin, 'PATCH', `/api/contracts/${contract.id}`, {
    ownerId: 's3',
    version,
  })
  mutations.push({
    mutation: 'change contract owner',
    'ddb calls': calls(owner),
    reads: 'contract, user',
    transactions: 1,
  })
  printTable('DynamoDB calls per mutation (reads + one TransactWriteItems)', mutations)
  return { rows, mutations }
}
