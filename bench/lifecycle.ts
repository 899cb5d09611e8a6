/**
 * The customer life cycle at two sizes, in one run: the DynamoDB calls of each operation (list page,
 * detail, every mutation) and the median latency of lists, search and the duplicate check (our
 * handler, the whole middy stack, called with Function Compute 3 events) for a tenant with 1 k
 * customers and one with 50 k, in the same table, measured alternately.
 *
 * The 1 k tenant is loaded through the API. 50 k through the API would take far longer than the
 * measurement on this machine, so that tenant is bulk-loaded with BatchWriteItem from the items the
 * domain itself builds for a customer (`customerItems`: the record with its index keys, its search
 * entries and recycle clocks, and the counters it adds to) — what the API would have left behind.
 */
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { ulid } from 'ulid'
import { type CounterChange, counterItems } from '../functions/db/counters.js'
import { CustomerEntity, EntryEntity } from '../functions/db/entities/lifecycle.js'
import { customerItems, type CustomerRecord } from '../functions/domain/customers/index.js'
import { signSession } from '../functions/core/session.js'
import { ms, printTable, sideBySide, fc3 } from './lib.js'
import { at, batchPut, putItems, seedOrg } from './org.js'

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>

async function call(fn: Handler, token: string, method: string, path: string, body?: unknown, query = {}) {
  const response = await fn(fc3(token, method, path, body, query), {})
  if (response.statusCode >= 300)
    throw new Error(`${method} ${path} → ${response.statusCode} ${response.body}`)
  return { json: response.body ? JSON.parse(response.body) : undefined, calls: callsOf(response) }
}
const callsOf = (r: { headers?: Record<string, string> }) =>
  Number(/calls=(\d+)/.exec(r.headers?.['server-timing'] ?? '')?.[1])

// ------------------------------------------------------------------------------ the organisation

const DEPTS = [
  { id: '1', name: '公司', path: ['1'] },
  { id: '11', name: '销售一部', parentId: '1', path: ['1', '11'] },
  { id: '12', name: '销售二部', parentId: '1', path: ['1', '12'] },
]
const SELLERS = ['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8'].map((id, i) => ({
  id,
  deptId: i < 4 ? '11' : '12',
}))
const ORG_USERS = [{ id: 'boss', deptId: '1' }, { id: 'm1', deptId: '11' }, ...SELLERS]

interface Tenant {
  tenantId: string
  admin: string
  manager: string
  member: string
  members: string[]
}

async function tokens(tenantId: string): Promise<Tenant> {
  const sign = async (
    userId: string,
    role: 'admin' | 'manager' | 'member',
    deptId: string,
    scope: string[] = [],
  ) =>
    (await signSession({ tenantId, userId, name: userId, role, deptIds: [deptId], scopeDeptIds: scope }))
      .token
  return {
    tenantId,
    admin: await sign('boss', 'admin', '1'),
    manager: await sign('m1', 'manager', '11', ['11']),
    member: await sign('s1', 'member', '11'),
    members: await Promise.all(SELLERS.map((s) => sign(s.id, 'member', s.deptId))),
  }
}

// ------------------------------------------------------------------------------ the customers

const CITIES =
  '杭州 上海 北京 深圳 广州 南京 苏州 宁波 温州 成都 武汉 西安 重庆 天津 长沙 青岛 厦门 福州 合肥 济南'.split(
    ' ',
  )
const WORDS = (
  '明达 云帆 恒信 华通 宏远 天成 金桥 瑞丰 鼎盛 嘉禾 博远 新锐 安泰 永盛 长虹 海纳 中联 正和 卓越 汇丰 ' +
  '东方 立信 德润 晨光 星河 远航 蓝海 银河 未来 锦程 信达 万通 启明 华泰 盛世 和谐 通达 联创 凯旋 腾飞'
).split(' ')
const TRADES = '科技 贸易 物流 电子 机械 建材 医药 食品 服饰 化工 传媒 咨询 软件 能源 教育'.split(' ')

/**
 * The i-th customer's name and phone: the same in both tenants, all different, spread like real company
 * names (i goes through the 480 000 city × word × word × trade names by a bijection, so the first 1 000
 * are as mixed as the first 50 000).
 */
function customerFields(i: number) {
  let j = (i * 7919 + 12345) % 480_000
  const next = <T>(list: T[]) => {
    const picked = list[j % list.length]
    j = Math.floor(j / list.length)
    return picked
  }
  return {
    name: `${next(CITIES)}${next(WORDS)}${next(WORDS)}${next(TRADES)}有限公司`,
    phone: `13${String(100_000_000 + ((i * 7919) % 900_000_000)).padStart(9, '0')}`,
    category: (['A', 'B', 'C', 'D'] as const)[i % 4],
  }
}
/** every 10th customer sits in the pool; every other one was followed up on some day of 2026 */
const inPool = (i: number) => i % 10 === 9
const followedUpAt = (i: number) =>
  i % 2 ? undefined : new Date(Date.UTC(2026, 0, 1) + ((i * 37) % 300) * 86_400_000).toISOString()

async function loadThroughApi(tenant: Tenant, count: number, customers: Handler) {
  for (let i = 0; i < count; i++) {
    const seller = i % SELLERS.length
    const { json } = inPool(i)
      ? await call(customers, tenant.manager, 'POST', '/api/pool', customerFields(i))
      : await call(customers, tenant.members[seller], 'POST', '/api/customers', customerFields(i))
    const day = followedUpAt(i)
    if (day && !inPool(i)) {
      await call(customers, tenant.members[seller], 'POST', '/api/followups', {
        customerId: json.id,
        method: 'phone',
        content: '电话沟通',
        followedAt: day,
      })
    }
  }
}

/** `count` customers as the verbs would have written them, through `customerItems`, then their counters. */
async function bulkLoad(tenantId: string, count: number): Promise<number> {
  const counters = new Map<string, Omit<CounterChange, 'delta'> & { count: number }>()
  let items = 0
  for (let start = 0; start < count; start += 1000) {
    const requests: unknown[] = []
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const seller = SELLERS[i % SELLERS.length]
      const pooled = inPool(i)
      const customer = {
        tenantId,
        id: ulid(),
        createdAt: at,
        createdBy: pooled ? 'm1' : seller.id,
        updatedAt: at,
        version: 1,
        ...customerFields(i),
        ownerId: pooled ? undefined : seller.id,
        deptId: pooled ? undefined : seller.deptId,
        ownedSince: pooled ? undefined : at,
        poolEnteredAt: pooled ? at : undefined,
        lastFollowUpAt: pooled ? undefined : followedUpAt(i),
        wonAmount: 0,
      } as CustomerRecord
      const { record, entries, counters: adds } = customerItems(customer)
      requests.push(CustomerEntity.build(BatchPutRequest).item(record as never))
      for (const entry of entries) requests.push(EntryEntity.build(BatchPutRequest).item(entry))
      for (const { delta, ...counter } of adds) {
        const seen = counters.get(counter.name)
        counters.set(counter.name, { ...counter, count: (seen?.count ?? 0) + delta })
      }
    }
    items += requests.length
    await batchPut(requests, 6)
  }
  await putItems(
    counterItems(
      tenantId,
      [...counters.values()].map(({ count, ...counter }) => ({ counter, count })),
    ),
  )
  return items + counters.size
}

// ------------------------------------------------------------------------------ the measurement

export async function benchLifecycle(
  iterations = 30,
  bulk = Number(process.env.BENCH_CUSTOMERS ?? 50_000),
  viaApi = 1000,
) {
  const { handler: customers } = (await import('../functions/customers/handler.js')) as { handler: Handler }
  const { handler: search } = (await import('../functions/search/handler.js')) as { handler: Handler }
  const { handler: bin } = (await import('../functions/recycle-bin/handler.js')) as { handler: Handler }
  const k = `${bulk / 1000}k`
  const s = `${viaApi / 1000}k`

  const small = await tokens(`bench-customers-${s}`)
  const large = await tokens(`bench-customers-${k}`)
  await seedOrg(small.tenantId, DEPTS, ORG_USERS)
  await seedOrg(large.tenantId, DEPTS, ORG_USERS)
  let started = performance.now()
  await loadThroughApi(small, viaApi, customers)
  const apiSeconds = (performance.now() - started) / 1000
  started = performance.now()
  const items = await bulkLoad(large.tenantId, bulk)
  const bulkSeconds = (performance.now() - started) / 1000

  // both tenants must hold what was loaded before their speed matters
  for (const [tenant, count] of [
    [small, viaApi],
    [large, bulk],
  ] as const) {
    const { json } = await call(customers, tenant.admin, 'GET', '/api/customers', undefined, { limit: '1' })
    if (json.total !== count)
      throw new Error(`${tenant.tenantId}: the list says ${json.total}, loaded ${count}`)
  }

  const probe = customerFields(7)
  const cases: [
    string,
    keyof Omit<Tenant, 'tenantId' | 'members'>,
    Handler,
    string,
    Record<string, string>,
  ][] = [
    ['list page (member, own)', 'member', customers, '/api/customers', { limit: '20' }],
    ['list page (manager, department)', 'manager', customers, '/api/customers', { limit: '20' }],
    [
      'list page (admin, by last follow-up)',
      'admin',
      customers,
      '/api/customers',
      { limit: '20', sort: 'lastFollowUpAt' },
    ],
    ['list page (member, pool)', 'member', customers, '/api/pool', { limit: '20' }],
    [
      'list page (admin, category filter)',
      'admin',
      customers,
      '/api/customers',
      { limit: '20', category: 'B' },
    ],
    ['search (2 characters)', 'admin', search, '/api/search', { q: probe.name.slice(2, 4) }],
    [
      'search (4 characters: a few hits in the small tenant, a page in the large)',
      'admin',
      search,
      '/api/search',
      { q: probe.name.slice(2, 6) },
    ],
    ['search (a whole name: 1 hit)', 'admin', search, '/api/search', { q: probe.name }],
    ['search (phone)', 'admin', search, '/api/search', { q: probe.phone }],
    ['duplicate check (name)', 'member', customers, '/api/customers/duplicates', { name: probe.name }],
    ['duplicate check (phone)', 'member', customers, '/api/customers/duplicates', { phone: probe.phone }],
  ]
  const rows: Record<string, string | number>[] = []
  for (const [name, who, fn, path, query] of cases) {
    const get = (tenant: Tenant) => call(fn, tenant[who], 'GET', path, undefined, query)
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
    `Customers with ${s} and ${k} in the tenant (${iterations} alternating iterations, medians; ${s} loaded through the API in ${apiSeconds.toFixed(0)} s, ${k} bulk-loaded as ${items} items in ${bulkSeconds.toFixed(0)} s)`,
    rows,
  )

  // Calls per operation in the large tenant: reads, then one TransactWriteItems for a mutation.
  const { admin, manager, member } = large
  const ops: Record<string, string | number>[] = []
  const op = async (operation: string, reads: string, r: Promise<{ json: any; calls: number }>) => {
    const { json, calls } = await r
    ops.push({ operation, 'ddb calls': calls, reads })
    return json
  }
  const c = await op(
    'create customer',
    'rules',
    call(customers, member, 'POST', '/api/customers', { name: '压测新客户' }),
  )
  await op('detail', '-', call(customers, member, 'GET', `/api/customers/${c.id}`))
  await op('list page', '-', call(customers, member, 'GET', '/api/customers', undefined, { limit: '20' }))
  const updated = await op(
    'update customer (not its name)',
    'customer',
    call(customers, member, 'PATCH', `/api/customers/${c.id}`, { remark: '备注', version: c.version }),
  )
  await op(
    'rename customer',
    'customer, rules',
    call(customers, member, 'PATCH', `/api/customers/${c.id}`, {
      name: '压测改名客户',
      version: updated.version,
    }),
  )
  await op(
    'create contact (first: primary)',
    'customer',
    call(customers, member, 'POST', '/api/contacts', { customerId: c.id, name: '联系人' }),
  )
  await op(
    'create follow-up',
    'customer',
    call(customers, member, 'POST', '/api/followups', {
      customerId: c.id,
      method: 'visit',
      content: '拜访',
      followedAt: new Date().toISOString(),
    }),
  )
  await op('tab: contacts', 'customer', call(customers, member, 'GET', `/api/customers/${c.id}/contacts`))
  await op('timeline', 'customer', call(customers, member, 'GET', `/api/customers/${c.id}/timeline`))
  await op(
    'category',
    'customer',
    call(customers, member, 'POST', `/api/customers/${c.id}/category`, { category: 'A' }),
  )
  await op(
    'release',
    'customer',
    call(customers, member, 'POST', `/api/customers/${c.id}/release`, { reason: '压测' }),
  )
  await op(
    'claim',
    'rules, customer',
    call(customers, large.members[1], 'POST', `/api/customers/${c.id}/claim`),
  )
  await op(
    'assign (manager)',
    'customer, user',
    call(customers, manager, 'POST', `/api/customers/${c.id}/assign`, { ownerId: 's1' }),
  )
  const other = await call(customers, member, 'POST', '/api/customers', { name: '压测合并来源' })
  await op(
    'merge (1 source, 0 children)',
    'job, target, source; job done',
    call(customers, member, 'POST', '/api/customers/merge', { targetId: c.id, sourceIds: [other.json.id] }),
  )
  await op('delete customer', 'customer', call(customers, member, 'DELETE', `/api/customers/${c.id}`))
  await op(
    'restore customer',
    'customer ×2',
    call(bin, admin, 'POST', `/api/recycle-bin/customers/${c.id}/restore`),
  )
  printTable(`DynamoDB calls per customer operation (${k} tenant)`, ops)
  return { rows, ops }
}
