/**
 * Load: a mix of requests over HTTP against the local server (the stack `npm run bench` starts), at
 * concurrency 1 and 20 — 40 % list (a page of 20 customers), 40 % get (a customer), 20 % follow-up
 * create — with p50 / p95 / req/s per kind and overall, and the share of the server's time spent waiting
 * for DynamoDB (from each answer's `Server-Timing`: `ddb` over `total`). Then customer creates per
 * second at concurrency 1 and 8 beside raw TransactWriteItems of the same items (a create's own
 * transaction, captured, replayed under new ids) at the same concurrency, in the same run.
 *
 * Measured from outside: the requests and the raw transactions are sent by `bench/load-client.ts`, a
 * Node process of its own, so the client neither shares the server's event loop nor its CPU; this side
 * prepares the plan (tenant, sessions, customers, the captured transaction) and sums up the samples.
 *
 * Bounded: a fixed number of requests, loopback only, one tenant of its own.
 */
import type { TransactWriteItemsCommandInput } from '@aws-sdk/client-dynamodb'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { text } from 'node:stream/consumers'
import { fileURLToPath } from 'node:url'
import { signSession } from '../functions/core/session.js'
import { getDocumentClient } from '../functions/db/client.js'
import type { Phase, PhaseResult, Request, Sample } from './load-client.js'
import { median, printTable } from './lib.js'
import { seedOrg } from './org.js'

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

/** The server's share of time waiting for DynamoDB, over the samples' Server-Timing. */
const inDynamoDb = (samples: Sample[]) =>
  `${Math.round(
    (100 * samples.reduce((t, s) => t + s.ddb, 0)) /
      Math.max(
        1,
        samples.reduce((t, s) => t + s.server, 0),
      ),
  )} %`

/** Runs the phases in the load client's own Node process (TypeScript through tsx). */
async function runClient(baseUrl: string, phases: Phase[]): Promise<PhaseResult[]> {
  const client = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./load-client.ts', import.meta.url))],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  client.stdin.end(JSON.stringify({ baseUrl, phases }))
  const [output, [code]] = await Promise.all([text(client.stdout), once(client, 'exit')])
  if (code !== 0) throw new Error(`the load client exited with ${code}`)
  return JSON.parse(output) as PhaseResult[]
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
  let n = 0
  const createCustomer = (i: number): Request => ({
    kind: 'customer create',
    token: tokens[i % people.length],
    method: 'POST',
    path: '/api/customers',
    body: { name: `杭州明达云帆${n++}号科技有限公司`, phone: `138${String(10_000_000 + n).slice(-8)}` },
  })

  // each person's customers, to get and to follow up; the server's transaction of the last create is
  // captured as sent (marshalled), for the raw baseline to replay
  let transaction: TransactWriteItemsCommandInput = { TransactItems: [] }
  const ddb = getDocumentClient()
  ddb.middlewareStack.add(
    (next, context) => async (args) => {
      if (/TransactWrite/.test(context.commandName ?? '')) {
        const body = new TextDecoder().decode((args.request as { body: Uint8Array }).body)
        transaction = JSON.parse(body) as TransactWriteItemsCommandInput
        delete transaction.ClientRequestToken // the SDK draws one per send
      }
      return next(args)
    },
    { step: 'build', name: 'benchLoadCapture' },
  )
  const setup = Array.from({ length: customers }, (_, i) => createCustomer(i))
  const [created] = await runClient(baseUrl, [{ concurrency: 4, requests: setup }]).finally(() =>
    ddb.middlewareStack.remove('benchLoadCapture'),
  )
  const owned: string[][] = people.map(() => [])
  created.samples.forEach(({ id }, i) => owned[i % people.length].push(id!))

  const mixOf = (concurrency: number): Phase => {
    const next = random(concurrency)
    return {
      concurrency,
      requests: Array.from({ length: requests }, (_, i) => {
        const person = i % people.length
        const token = tokens[person]
        const customerId = owned[person][Math.floor(next() * owned[person].length)]
        const draw = next()
        return draw < 0.4
          ? { kind: 'list', token, method: 'GET', path: '/api/customers?limit=20' }
          : draw < 0.8
            ? { kind: 'get', token, method: 'GET', path: `/api/customers/${customerId}` }
            : {
                kind: 'follow-up create',
                token,
                method: 'POST',
                path: '/api/followups',
                body: {
                  customerId,
                  method: 'phone',
                  content: '电话沟通了报价',
                  followedAt: `2026-11-18T0${i % 10}:00:00+08:00`,
                },
              }
      }),
    }
  }
  // ours and the raw baseline alternately, at each concurrency
  const createsOf = (concurrency: number): Phase[] => [
    { concurrency, requests: Array.from({ length: creates }, (_, i) => createCustomer(i)) },
    { concurrency, transaction, count: creates },
  ]
  const [mix1, mix20, ours1, raw1, ours8, raw8] = await runClient(baseUrl, [
    mixOf(1),
    mixOf(20),
    ...createsOf(1),
    ...createsOf(8),
  ])
  const errors = [created, mix1, mix20, ours1, ours8].flatMap((r) => r.samples).filter((s) => !s.ok).length

  const summarize = ({ samples, wallMs }: PhaseResult, label: string) => {
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
      'in DynamoDB': inDynamoDb(of),
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
  const mix = [...summarize(mix1, '1'), ...summarize(mix20, '20')]
  printTable(
    `Load: ${requests} requests over HTTP from a client in its own Node process (40 % list, 40 % get, 20 % follow-up create), 4 people of one tenant; "in DynamoDB": the server's time waiting for it (Server-Timing ddb ÷ total)`,
    mix,
  )

  const createRows = (
    [
      [1, ours1, raw1],
      [8, ours8, raw8],
    ] as const
  ).map(([concurrency, ours, raw]) => {
    const perSecond = (creates / ours.wallMs) * 1000
    const rawPerSecond = (creates / raw.wallMs) * 1000
    return {
      concurrency,
      creates,
      'creates/s': Math.round(perSecond * 10) / 10,
      'create p50': `${median(ours.samples.map((s) => s.ms)).toFixed(1)} ms`,
      'in DynamoDB': inDynamoDb(ours.samples),
      'raw tx/s': Math.round(rawPerSecond * 10) / 10,
      'raw tx p50': `${median(raw.samples.map((s) => s.ms)).toFixed(1)} ms`,
      ratio: `${(perSecond / rawPerSecond).toFixed(2)}`,
      goal: '≥ 0.8',
    }
  })
  printTable(
    `Customer creates over HTTP ÷ raw TransactWriteItems of the same ${transaction.TransactItems?.length} items (a create's own, replayed under new ids), both sent by a client in its own Node process, same concurrency, same run`,
    createRows,
  )
  return { mix, creates: createRows, errors }
}
