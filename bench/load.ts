/**
 * Load: a mix of requests over HTTP against the local server (the stack `npm run bench` starts), at
 * concurrency 1 and 20 — 40 % list (a page of 20 customers), 40 % get (a customer), 20 % follow-up
 * create — with p50 / p95 / req/s per kind and overall, and the share of the server's time spent waiting
 * for DynamoDB (from each answer's `Server-Timing`: `ddb` over `total`). Then customer creates per
 * second at concurrency 1 and 8 beside raw TransactWriteItems of the same items (a create's own
 * transaction, captured, replayed under new ids) at the same concurrency, in the same run.
 *
 * Bounded: a fixed number of requests, loopback only, one tenant of its own.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb'
import { performance } from 'node:perf_hooks'
import { ulid } from 'ulid'
import { signSession } from '../functions/core/session.js'
import { getDocumentClient } from '../functions/db/client.js'
import { median, printTable } from './lib.js'
import { seedOrg } from './org.js'

type Kind = 'list' | 'get' | 'follow-up create' | 'customer create'
interface Sample {
  kind: Kind
  ms: number
  /** server time in DynamoDB calls and in all, from Server-Timing */
  ddb: number
  server: number
}

const percentile = (values: number[], p: number) => {
  if (!values.length) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

/** A small deterministic generator: the same mix every run. */
const random = (seed: number) => () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
  return seed / 2 ** 31
}

/** Runs `count` tasks with `concurrency` of them in flight; returns the wall time in ms. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0
  const started = performance.now()
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await task(next++)
    }),
  )
  return performance.now() - started
}

const ULID = /[0-9A-HJKMNP-TV-Z]{26}/g

/** A value with every ULID in it replaced (the same ULID by the same new one). */
function renew<T>(value: T, ids = new Map<string, string>()): T {
  if (typeof value === 'string')
    return value.replace(ULID, (id) => {
      if (!ids.has(id)) ids.set(id, ulid())
      return ids.get(id)!
    }) as T
  if (Array.isArray(value)) return value.map((v) => renew(v, ids)) as T
  if (value && typeof value === 'object' && !(value instanceof Set))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renew(v, ids)])) as T
  return value
}

export interface LoadResult {
  mix: Record<string, string | number>[]
  creates: Record<string, string | number>[]
  errors: number
}

export async function benchLoad(
  baseUrl: string,
  { requests = 2000, creates = 200, customers = 200 } = {},
): Promise<LoadResult> {
  const tenantId = 'bench-load'
  const people = ['s1', 's2', 's3', 's4']
  await seedOrg(
    tenantId,
    [
      { id: '1', name: '公司', path: ['1'] },
      { id: '11', name: '销售一部', parentId: '1', path: ['1', '11'] },
    ],
    [{ id: 'boss', deptId: '1' }, ...people.map((id) => ({ id, deptId: '11' }))],
  )
  const tokens = await Promise.all(
    people.map(
      async (userId) =>
        (
          await signSession({
            tenantId,
            userId,
            name: userId,
            role: 'member',
            deptIds: ['11'],
            scopeDeptIds: [],
          })
        ).token,
    ),
  )
  let errors = 0
  const call = async (
    kind: Kind,
    token: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ sample: Sample; json: unknown }> => {
    const started = performance.now()
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const json: unknown = await response.json()
    const ms = performance.now() - started
    if (!response.ok) {
      errors++
      if (errors <= 3) console.error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`)
    }
    const timing = response.headers.get('server-timing') ?? ''
    const dur = (name: string) => Number(new RegExp(`${name};[^,]*dur=([\\d.]+)`).exec(timing)?.[1] ?? 0)
    return { sample: { kind, ms, ddb: dur('ddb') + dur('directory'), server: dur('total') }, json }
  }
  let n = 0
  const createCustomer = (person: number) =>
    call('customer create', tokens[person], 'POST', '/api/customers', {
      name: `杭州明达云帆${n++}号科技有限公司`,
      phone: `138${String(10_000_000 + n).slice(-8)}`,
    })

  // each person's customers, to get and to follow up
  const owned: string[][] = people.map(() => [])
  await pool(customers, 4, async (i) => {
    const { json } = await createCustomer(i % people.length)
    owned[i % people.length].push((json as { id: string }).id)
  })

  const summarize = (samples: Sample[], wallMs: number, label: string) => {
    const row = (kind: string, of: Sample[]) => ({
      concurrency: label,
      kind,
      requests: of.length,
      p50: `${percentile(
        of.map((s) => s.ms),
        50,
      ).toFixed(1)} ms`,
      p95: `${percentile(
        of.map((s) => s.ms),
        95,
      ).toFixed(1)} ms`,
      'req/s': Math.round((of.length / wallMs) * 1000 * 10) / 10,
      'in DynamoDB': `${Math.round(
        (100 * of.reduce((t, s) => t + s.ddb, 0)) /
          Math.max(
            1,
            of.reduce((t, s) => t + s.server, 0),
          ),
      )} %`,
    })
    const kinds = [...new Set(samples.map((s) => s.kind))]
    return [
      ...kinds.map((kind) =>
        row(
          kind,
          samples.filter((s) => s.kind === kind),
        ),
      ),
      row('all', samples),
    ]
  }

  const mix: Record<string, string | number>[] = []
  for (const concurrency of [1, 20]) {
    const next = random(concurrency)
    const samples: Sample[] = []
    const wall = await pool(requests, concurrency, async (i) => {
      const person = i % people.length
      const token = tokens[person]
      const customerId = owned[person][Math.floor(next() * owned[person].length)]
      const draw = next()
      const { sample } =
        draw < 0.4
          ? await call('list', token, 'GET', '/api/customers?limit=20')
          : draw < 0.8
            ? await call('get', token, 'GET', `/api/customers/${customerId}`)
            : await call('follow-up create', token, 'POST', '/api/followups', {
                customerId,
                method: 'phone',
                content: '电话沟通了报价',
                followedAt: `2026-11-18T0${i % 10}:00:00+08:00`,
              })
      samples.push(sample)
    })
    mix.push(...summarize(samples, wall, String(concurrency)))
  }
  printTable(
    `Load: ${requests} requests over HTTP (40 % list, 40 % get, 20 % follow-up create), 4 people of one tenant; "in DynamoDB": the server's time waiting for it (Server-Timing ddb ÷ total)`,
    mix,
  )

  // customer creates beside raw TransactWriteItems of the same items, at the same concurrency
  const captured: TransactWriteCommandInput[] = []
  const ddb = getDocumentClient()
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      if (capturing && /TransactWrite/.test(context.commandName ?? ''))
        captured.push(structuredClone(args.input) as TransactWriteCommandInput)
      return next(args)
    },
    { step: 'initialize', name: 'benchLoadCapture' },
  )
  let capturing = true
  await createCustomer(0)
  capturing = false
  ddb.middlewareStack.remove('benchLoadCapture')
  const transaction = captured.at(-1)!
  const createRows: Record<string, string | number>[] = []
  for (const concurrency of [1, 8]) {
    const samples: Sample[] = []
    const oursMs = await pool(creates, concurrency, async (i) => {
      samples.push((await createCustomer(i % people.length)).sample)
    })
    const raw: number[] = []
    const rawMs = await pool(creates, concurrency, async () => {
      const started = performance.now()
      await ddb.send(new TransactWriteCommand(renew(transaction)))
      raw.push(performance.now() - started)
    })
    const ours = (creates / oursMs) * 1000
    const baseline = (creates / rawMs) * 1000
    createRows.push({
      concurrency,
      creates,
      'creates/s': Math.round(ours * 10) / 10,
      'create p50': `${median(samples.map((s) => s.ms)).toFixed(1)} ms`,
      'in DynamoDB': `${Math.round(
        (100 * samples.reduce((t, s) => t + s.ddb, 0)) /
          Math.max(
            1,
            samples.reduce((t, s) => t + s.server, 0),
          ),
      )} %`,
      'raw tx/s': Math.round(baseline * 10) / 10,
      'raw tx p50': `${median(raw).toFixed(1)} ms`,
      ratio: `${(ours / baseline).toFixed(2)}`,
      goal: '≥ 0.8',
    })
  }
  printTable(
    `Customer creates over HTTP ÷ raw TransactWriteItems of the same ${transaction.TransactItems?.length} items (a create's own, replayed under new ids), same concurrency, same run`,
    createRows,
  )
  return { mix, creates: createRows, errors }
}
