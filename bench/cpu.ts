/**
 * CPU per request kind, in-process: the customers function's handler called with Function Compute 3
 * events (no HTTP server, no client), one request at a time, `process.cpuUsage()` over N requests of one
 * kind ÷ N, beside its wall time and its DynamoDB time (Server-Timing). The same kinds as the load bench
 * (list, get, follow-up create, customer create), and beside them the same GetItem and Query sent raw
 * through the document client: what the SDK alone costs. Run only when named: `npm run bench -- cpu`
 * (BENCH_CPU_REQUESTS=N, CPU_ONLY=<kind> for one kind); under `node --cpu-prof --import tsx bench/run.ts cpu`
 * it shows where the milliseconds go.
 */
import { performance } from 'node:perf_hooks'
import { fc3, median, printTable } from './lib.js'
import { seedSalesperson } from './org.js'

export async function benchCpu(n: number, only = process.env.CPU_ONLY): Promise<void> {
  const tenantId = 'bench-cpu'
  const token = await seedSalesperson(tenantId)
  const { handler } = await import('../functions/customers/handler.js')
  let c = 0
  const call = async (method: string, path: string, body?: unknown, query?: Record<string, string>) => {
    const response = await handler(fc3(token, method, path, body, query), { requestId: 'cpu' })
    if (response.statusCode >= 300) throw new Error(`${method} ${path} → ${response.body}`)
    const timing = response.headers['server-timing'] ?? ''
    const dur = (name: string) => Number(new RegExp(`${name};[^,]*dur=([\\d.]+)`).exec(timing)?.[1] ?? 0)
    return { json: JSON.parse(response.body) as { id: string }, ddb: dur('ddb') + dur('directory') }
  }
  const kinds: Record<string, (i: number) => ReturnType<typeof call>> = {
    'customer create': () =>
      call('POST', '/api/customers', {
        name: `杭州明达云帆${c++}号科技有限公司`,
        phone: `138${String(10_000_000 + c).slice(-8)}`,
      }),
    list: () => call('GET', '/api/customers', undefined, { limit: '20' }),
    get: (i) => call('GET', `/api/customers/${ids[i % ids.length]}`),
    'follow-up create': (i) =>
      call('POST', '/api/followups', {
        customerId: ids[i % ids.length],
        method: 'phone',
        content: '电话沟通了报价',
        followedAt: `2026-11-18T0${i % 10}:00:00+08:00`,
      }),
  }
  const ids: string[] = []
  for (let i = 0; i < 50; i++) ids.push((await kinds['customer create'](i)).json.id)
  const rows: Record<string, string | number>[] = []
  for (const [kind, run] of Object.entries(kinds)) {
    if (only && kind !== only) continue
    for (let i = 0; i < 30; i++) await run(i) // warm
    const walls: number[] = []
    let ddb = 0
    const cpu = process.cpuUsage()
    const started = performance.now()
    for (let i = 0; i < n; i++) {
      const t = performance.now()
      ddb += (await run(i)).ddb
      walls.push(performance.now() - t)
    }
    const wall = performance.now() - started
    const used = process.cpuUsage(cpu)
    rows.push({
      kind,
      requests: n,
      'CPU ms/req': ((used.user + used.system) / 1000 / n).toFixed(2),
      'wall p50': `${median(walls).toFixed(1)} ms`,
      'wall avg': `${(wall / n).toFixed(1)} ms`,
      'ddb avg': `${(ddb / n).toFixed(1)} ms`,
    })
  }
  // the same DynamoDB calls sent raw through the document client: what the SDK alone costs
  const { GetCommand, QueryCommand } = await import('@aws-sdk/lib-dynamodb')
  const { getDocumentClient } = await import('../functions/db/client.js')
  const ddb = getDocumentClient()
  const captured: { name: string; input: unknown }[] = []
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      captured.push({ name: context.commandName ?? '', input: structuredClone(args.input) })
      return next(args)
    },
    { step: 'initialize', name: 'cpuCapture' },
  )
  await kinds.get(0)
  await kinds.list(0)
  ddb.middlewareStack.remove('cpuCapture')
  for (const { name, input } of captured) {
    const send = () =>
      /Get/.test(name) ? ddb.send(new GetCommand(input as never)) : ddb.send(new QueryCommand(input as never))
    for (let i = 0; i < 30; i++) await send()
    const cpu = process.cpuUsage()
    const started = performance.now()
    for (let i = 0; i < n; i++) await send()
    const used = process.cpuUsage(cpu)
    rows.push({
      kind: `raw ${name}`,
      requests: n,
      'CPU ms/req': ((used.user + used.system) / 1000 / n).toFixed(2),
      'wall avg': `${((performance.now() - started) / n).toFixed(1)} ms`,
    })
  }
  printTable(`CPU per request, in-process handler calls (${n} of each kind, one at a time)`, rows)
}
