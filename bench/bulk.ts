/**
 * 批量 经理调整 of 200 customers (a manager reassigning someone's customers when they leave): the whole
 * request's DynamoDB calls and seconds, without and with an Idempotency-Key, and the retry that replays
 * it. `npx tsx bench/bulk.ts` runs it alone; `npm run bench` runs it with the others.
 */
import { randomUUID } from 'node:crypto'
import { signSession } from '../functions/core/session.js'
import { fc3, printTable } from './lib.js'
import { seedOrg } from './org.js'

type Handler = (
  event: unknown,
  context: unknown,
) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>

const DEPTS = [
  { id: '1', name: '公司', path: ['1'] },
  { id: '11', name: '销售一部', parentId: '1', path: ['1', '11'] },
]
const USERS = [
  { id: 'm1', deptId: '11' },
  { id: 's1', deptId: '11' },
  { id: 's2', deptId: '11' },
]

export async function benchBulk(count = 200) {
  const { handler } = (await import('../functions/customers/handler.js')) as { handler: Handler }
  const tenantId = `bench-bulk-${randomUUID().slice(0, 8)}`
  await seedOrg(tenantId, DEPTS, USERS)
  const sign = async (userId: string, role: 'manager' | 'member', scope: string[] = []) =>
    (await signSession({ tenantId, userId, name: userId, role, deptIds: ['11'], scopeDeptIds: scope })).token
  const [manager, seller] = [await sign('m1', 'manager', ['11']), await sign('s1', 'member')]
  const call = async (token: string, path: string, body: unknown, key?: string) => {
    const event = JSON.parse(fc3(token, 'POST', path, body).toString()) as { headers: Record<string, string> }
    if (key) event.headers['idempotency-key'] = key
    const started = performance.now()
    const response = await handler(Buffer.from(JSON.stringify(event)), {})
    const seconds = (performance.now() - started) / 1000
    if (response.statusCode >= 300) throw new Error(`${path} → ${response.statusCode} ${response.body}`)
    const calls = Number(/calls=(\d+)/.exec(response.headers?.['server-timing'] ?? '')?.[1])
    return { json: JSON.parse(response.body) as { id: string; done: string[] }, calls, seconds }
  }
  const ids: string[] = []
  for (let i = 0; i < count * 2; i++)
    ids.push((await call(seller, '/api/customers', { name: `批量调整基准客户${i}` })).json.id)

  const rows: Record<string, string | number>[] = []
  const measure = async (operation: string, batch: string[], ownerId: string, key?: string) => {
    const { json, calls, seconds } = await call(
      manager,
      '/api/customers/bulk/assign',
      { ids: batch, ownerId },
      key,
    )
    if (json.done.length !== batch.length)
      throw new Error(`${operation}: ${json.done.length} of ${batch.length}`)
    rows.push({
      operation,
      records: batch.length,
      calls,
      'calls / record': (calls / batch.length).toFixed(1),
      seconds: seconds.toFixed(2),
    })
  }
  await measure(`bulk 经理调整 of ${count}`, ids.slice(0, count), 's2')
  const key = randomUUID()
  await measure(`bulk 经理调整 of ${count}, Idempotency-Key`, ids.slice(count), 's2', key)
  await measure('the same request retried (replay)', ids.slice(count), 's2', key)
  printTable('Bulk actions (customers function, DynamoDB Local)', rows)
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { startStack } = await import('../local/stack.js')
  process.env.LOG_LEVEL = 'error'
  const stack = await startStack({ tableName: 'crm-bench-bulk', seed: false })
  try {
    await benchBulk(Number(process.env.BENCH_BULK ?? 200))
  } finally {
    await stack.stop()
  }
}
