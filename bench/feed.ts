/**
 * 工作台 动态 (`GET /api/feed`) at two data sizes, in one run: a page's DynamoDB calls and median latency
 * (the search function's handler, the whole middy stack, called with Function Compute 3 events) for a
 * tenant with 1 k activities and one with 100 k, in the same table, measured alternately. Writing 100 k
 * activities through the API would take far longer than the measurement, so they are written with
 * BatchWriteItem: the very items a write's transaction puts (`activityEntries`: the entry on the
 * record's timeline with its feed index keys) — what the API would have left behind.
 * `npx tsx bench/feed.ts` runs it alone; `npm run bench -- feed` with the others' machinery.
 */
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { ulid } from 'ulid'
import { signSession } from '../functions/core/session.js'
import { TAG } from '../functions/db/entities/record.js'
import { EntryEntity } from '../functions/db/entities/lifecycle.js'
import { activityEntries } from '../functions/domain/activity/activity.js'
import { fc3, ms, printTable, sideBySide } from './lib.js'
import { batchPut, seedOrg } from './org.js'

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>

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
const SELLERS = USERS.slice(2)

/** `count` activities on customers of the sellers, 10 per customer, each in its owner's and department's feed. */
async function loadActivities(tenantId: string, count: number) {
  const entries = []
  let customerId = ulid()
  for (let i = 0; i < count; i++) {
    if (i % 10 === 0) customerId = ulid()
    const owner = SELLERS[Math.floor(i / 10) % SELLERS.length]
    entries.push(
      ...activityEntries(
        { tenantId, userId: owner.id, name: `销售${owner.id}` },
        {
          timeline: { tag: TAG.customer, id: customerId },
          audience: { userIds: [owner.id], deptIds: [owner.deptId] },
          recordType: 'customers',
          recordId: customerId,
          action: 'updated',
          summary: `修改了客户「动态压测客户 ${Math.floor(i / 10)}」`,
          changes: [{ field: 'level', from: 'B', to: 'A' }],
        },
      ),
    )
  }
  const started = performance.now()
  await batchPut(entries.map((entry) => EntryEntity.build(BatchPutRequest).item(entry)))
  return (performance.now() - started) / 1000
}

interface Tokens {
  admin: string
  manager: string
  managerOfTwo: string
  member: string
}

async function prepare(tenantId: string, count: number) {
  await seedOrg(tenantId, DEPTS, USERS)
  const sign = async (
    userId: string,
    role: 'admin' | 'manager' | 'member',
    deptId: string,
    scope: string[],
  ) =>
    (await signSession({ tenantId, userId, name: userId, role, deptIds: [deptId], scopeDeptIds: scope }))
      .token
  const seconds = await loadActivities(tenantId, count)
  const tokens: Tokens = {
    admin: await sign('boss', 'admin', '1', []),
    manager: await sign('m1', 'manager', '11', ['11']),
    // a manager of both sales departments: the tenant's feed filtered to them
    managerOfTwo: await sign('m1', 'manager', '11', ['11', '12']),
    member: await sign('s1', 'member', '11', []),
  }
  return { tokens, seconds }
}

export async function benchFeed(
  iterations = 30,
  bulk = Number(process.env.BENCH_FEED_ACTIVITIES ?? 100_000),
) {
  const { handler } = (await import('../functions/search/handler.js')) as { handler: Handler }
  const suffix = ulid().slice(-6)
  const small = await prepare(`bench-feed-1k-${suffix}`, 1000)
  const large = await prepare(`bench-feed-large-${suffix}`, bulk)
  const get = async (token: string, query: Record<string, string> = {}) => {
    const response = await handler(fc3(token, 'GET', '/api/feed', undefined, { limit: '20', ...query }), {})
    if (response.statusCode !== 200)
      throw new Error(`GET /api/feed → ${response.statusCode} ${response.body}`)
    const page = JSON.parse(response.body) as { items: unknown[]; nextCursor: string | null }
    if (page.items.length !== 20) throw new Error(`GET /api/feed: ${page.items.length} items, not 20`)
    const calls = Number(/calls=(\d+)/.exec(response.headers?.['server-timing'] ?? '')?.[1])
    return { page, calls }
  }
  const cases: [string, keyof Tokens, boolean?][] = [
    ['admin (the tenant’s feed)', 'admin'],
    ['admin, second page (cursor)', 'admin', true],
    ['manager of one department', 'manager'],
    ['manager of two departments (filtered)', 'managerOfTwo'],
    ['member (their own)', 'member'],
  ]
  const k = `${bulk / 1000}k`
  const rows: Record<string, string | number>[] = []
  for (const [name, who, second] of cases) {
    // a second page starts at the first page's cursor
    const query = async (tokens: Tokens) =>
      second ? { cursor: (await get(tokens[who])).page.nextCursor! } : ({} as Record<string, string>)
    const [smallQuery, largeQuery] = [await query(small.tokens), await query(large.tokens)]
    const result = await sideBySide(
      iterations,
      () => get(large.tokens[who], largeQuery),
      () => get(small.tokens[who], smallQuery),
    )
    rows.push({
      page: name,
      'calls @1k': (await get(small.tokens[who], smallQuery)).calls,
      [`calls @${k}`]: (await get(large.tokens[who], largeQuery)).calls,
      'p50 @1k': ms(result.baseline),
      [`p50 @${k}`]: ms(result.ours),
      ratio: `${result.ratio.toFixed(2)}×`,
    })
  }
  printTable(
    `工作台 动态 (GET /api/feed, 20 a page) with 1 k and ${k} activities in the tenant (${iterations} alternating iterations, medians; ${k} bulk-loaded in ${large.seconds.toFixed(0)} s)`,
    rows,
  )
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startStack } = await import('../local/stack.js')
  process.env.LOG_LEVEL = 'error'
  const stack = await startStack({ tableName: 'crm-bench-feed', seed: false })
  try {
    await benchFeed(Number(process.env.BENCH_ITERATIONS ?? 30))
  } finally {
    await stack.stop()
  }
}
