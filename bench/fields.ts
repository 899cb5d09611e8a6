/**
 * 字段管理 at two sizes, in one run: a customers list page of a tenant with 5 custom fields (plain, and
 * filtered on a custom choice and on a custom date range) at 1 k and at 50 k customers — the same
 * DynamoDB calls, the median latency side by side — and the calls of a create with custom values
 * against one without. Both tenants are bulk-loaded from the items the domain builds (`customerItems`
 * and the custom entries `customEntries`), after the definitions were saved through the API.
 */
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { ulid } from 'ulid'
import { signSession } from '../functions/core/session.js'
import { type CounterChange, counterItems } from '../functions/db/counters.js'
import { customEntries } from '../functions/db/custom-index.js'
import { CustomerEntity, EntryEntity } from '../functions/db/entities/lifecycle.js'
import { customerItems, type CustomerRecord, Customers } from '../functions/domain/customers/index.js'
import { fc3, ms, printTable, sideBySide } from './lib.js'
import { at, batchPut, putItems, seedOrg } from './org.js'

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>

async function call(fn: Handler, token: string, method: string, path: string, body?: unknown, query = {}) {
  const response = await fn(fc3(token, method, path, body, query), {})
  if (response.statusCode >= 300)
    throw new Error(`${method} ${path} → ${response.statusCode} ${response.body}`)
  const calls = Number(/ddb;desc="calls=(\d+)/.exec(response.headers?.['server-timing'] ?? '')?.[1])
  return { json: response.body ? JSON.parse(response.body) : undefined, calls }
}

const DEPTS = [
  { id: '1', name: '公司', path: ['1'] },
  { id: '11', name: '销售一部', parentId: '1', path: ['1', '11'] },
]
const SELLERS = ['s1', 's2', 's3', 's4']
const FIELDS = [
  {
    label: '客户等级',
    type: 'select',
    showInList: true,
    options: [
      { value: 'vip', label: '重要' },
      { value: 'std', label: '普通' },
      { value: 'low', label: '一般' },
    ],
  },
  { label: '首次拜访', type: 'date', showInList: true },
  { label: '预算', type: 'money', showInList: true },
  { label: '已签保密协议', type: 'boolean' },
  { label: '备注二', type: 'text' },
]

interface Tenant {
  tenantId: string
  admin: string
  member: string
  keys: string[]
}

async function tenant(tenantId: string, fieldsFn: Handler): Promise<Tenant> {
  await seedOrg(tenantId, DEPTS, [
    { id: 'boss', deptId: '1' },
    ...SELLERS.map((id) => ({ id, deptId: '11' })),
  ])
  const sign = async (userId: string, role: 'admin' | 'member', deptId: string) =>
    (await signSession({ tenantId, userId, name: userId, role, deptIds: [deptId], scopeDeptIds: [] })).token
  const admin = await sign('boss', 'admin', '1')
  const { json } = await call(fieldsFn, admin, 'PUT', '/api/settings/fields/customers', {
    version: 0,
    fields: FIELDS.map((f, i) => ({ ...f, order: 10 + i })),
  })
  const keys = FIELDS.map(
    (f) => json.fields.find((s: { label: string }) => s.label === f.label).key as string,
  )
  return { tenantId, admin, member: await sign('s1', 'member', '11'), keys }
}

const customOf = (keys: string[], i: number) => ({
  [keys[0]]: ['vip', 'std', 'low'][i % 3],
  [keys[1]]: new Date(Date.UTC(2026, 0, 1) + ((i * 37) % 300) * 86_400_000).toISOString().slice(0, 10),
  [keys[2]]: (i % 1000) * 100,
  [keys[3]]: i % 2 === 0,
  [keys[4]]: `备注 ${i}`,
})

/** `count` customers with their custom values, as the verbs would have written them. */
async function bulkLoad(t: Tenant, count: number) {
  const counters = new Map<string, Omit<CounterChange, 'delta'> & { count: number }>()
  for (let start = 0; start < count; start += 1000) {
    const requests: unknown[] = []
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const seller = SELLERS[i % SELLERS.length]
      const customer = {
        tenantId: t.tenantId,
        id: ulid(),
        createdAt: at,
        createdBy: seller,
        updatedAt: at,
        version: 1,
        name: `压测客户 ${i}`,
        ownerId: seller,
        deptId: '11',
        ownedSince: at,
        wonAmount: 0,
        custom: customOf(t.keys, i),
      } as CustomerRecord
      const { record, entries, counters: adds } = customerItems(customer)
      requests.push(CustomerEntity.build(BatchPutRequest).item(record as never))
      for (const entry of [...entries, ...customEntries(Customers, customer)])
        requests.push(EntryEntity.build(BatchPutRequest).item(entry))
      for (const { delta, ...counter } of adds) {
        const seen = counters.get(counter.name)
        counters.set(counter.name, { ...counter, count: (seen?.count ?? 0) + delta })
      }
    }
    await batchPut(requests, 6)
  }
  await putItems(
    counterItems(
      t.tenantId,
      [...counters.values()].map(({ count, ...counter }) => ({ counter, count })),
    ),
  )
}

export async function benchFields(
  iterations = 30,
  bulk = Number(process.env.BENCH_FIELD_CUSTOMERS ?? 50_000),
  smallCount = 1000,
) {
  const { handler: customers } = (await import('../functions/customers/handler.js')) as { handler: Handler }
  const { handler: fieldsFn } = (await import('../functions/fields/handler.js')) as { handler: Handler }
  const [s, k] = [`${smallCount / 1000}k`, `${bulk / 1000}k`]
  const small = await tenant(`bench-fields-${s}`, fieldsFn)
  const large = await tenant(`bench-fields-${k}`, fieldsFn)
  const started = performance.now()
  await bulkLoad(small, smallCount)
  await bulkLoad(large, bulk)
  const loadSeconds = (performance.now() - started) / 1000

  const cases: [string, 'admin' | 'member', (t: Tenant) => Record<string, string>][] = [
    ['list page, 5 custom fields (admin)', 'admin', () => ({ limit: '20' })],
    ['custom choice filter (admin)', 'admin', (t) => ({ limit: '20', [`custom.${t.keys[0]}`]: 'vip' })],
    [
      'custom date range filter (admin)',
      'admin',
      (t) => ({
        limit: '20',
        [`custom.${t.keys[1]}From`]: '2026-03-01',
        [`custom.${t.keys[1]}To`]: '2026-03-31',
      }),
    ],
    [
      'custom choice filter (member, own)',
      'member',
      (t) => ({ limit: '20', [`custom.${t.keys[0]}`]: 'vip' }),
    ],
  ]
  const rows: Record<string, string | number>[] = []
  for (const [name, who, query] of cases) {
    const get = (t: Tenant) => call(customers, t[who], 'GET', '/api/customers', undefined, query(t))
    const result = await sideBySide(
      iterations,
      () => get(large),
      () => get(small),
    )
    const [a, b] = [await get(small), await get(large)]
    rows.push({
      operation: name,
      [`calls @${s}`]: a.calls,
      [`calls @${k}`]: b.calls,
      [`items @${s}`]: a.json.items.length,
      [`items @${k}`]: b.json.items.length,
      [`p50 @${s}`]: ms(result.baseline),
      [`p50 @${k}`]: ms(result.ours),
      ratio: `${result.ratio.toFixed(2)}×`,
    })
  }
  printTable(
    `Customers with 5 custom fields at ${s} and ${k} (${iterations} alternating iterations, medians; bulk-loaded in ${loadSeconds.toFixed(0)} s)`,
    rows,
  )

  const plain = await call(customers, large.member, 'POST', '/api/customers', { name: '无自定义字段' })
  const custom = await call(customers, large.member, 'POST', '/api/customers', {
    name: '有自定义字段',
    custom: { ...customOf(large.keys, 1), [large.keys[2]]: 12.5 },
  })
  printTable('Create a customer: DynamoDB calls (one TransactWriteItems after the reads)', [
    { operation: 'create without custom fields', 'ddb calls': plain.calls },
    { operation: 'create with 5 custom values', 'ddb calls': custom.calls },
  ])
}
