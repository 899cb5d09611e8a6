/**
 * The client side of `bench/load.ts`, run in a Node process of its own so the server it measures (the
 * local stack, in the bench's process) has its event loop and CPU to itself: reads a plan (JSON) on
 * stdin, runs its phases in order — HTTP requests, or a captured TransactWriteItems replayed under new
 * ids — each with `concurrency` in flight, and prints each phase's samples and wall time as JSON.
 * DynamoDB is reached through the environment the bench passes on (AWS_ENDPOINT_URL_DYNAMODB).
 */
import {
  DynamoDBClient,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb'
import { performance } from 'node:perf_hooks'
import { text } from 'node:stream/consumers'
import { renew } from './replay.js'

export interface Request {
  kind: string
  token: string
  method: string
  path: string
  body?: unknown
}

export type Phase = { concurrency: number } & (
  | { requests: Request[] }
  /** a TransactWriteItems request as sent (marshalled), replayed `count` times under new ids */
  | { transaction: TransactWriteItemsCommandInput; count: number }
)

export interface Sample {
  kind: string
  ms: number
  /** server time in DynamoDB calls and in all, from Server-Timing */
  ddb: number
  server: number
  ok: boolean
  /** the answer's `id`, if any */
  id?: string
}

export interface PhaseResult {
  /** in the order of the phase's requests */
  samples: Sample[]
  wallMs: number
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

let errors = 0
async function call(baseUrl: string, { kind, token, method, path, body }: Request): Promise<Sample> {
  const started = performance.now()
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const json = (await response.json()) as { id?: string }
  const ms = performance.now() - started
  if (!response.ok && ++errors <= 3)
    console.error(`${method} ${path} → ${response.status} ${JSON.stringify(json)}`)
  const timing = response.headers.get('server-timing') ?? ''
  const dur = (name: string) => Number(new RegExp(`${name};[^,]*dur=([\\d.]+)`).exec(timing)?.[1] ?? 0)
  return { kind, ms, ddb: dur('ddb') + dur('directory'), server: dur('total'), ok: response.ok, id: json.id }
}

const { baseUrl, phases } = JSON.parse(await text(process.stdin)) as { baseUrl: string; phases: Phase[] }
const ddb = new DynamoDBClient({})
const results: PhaseResult[] = []
for (const phase of phases) {
  const samples: Sample[] = []
  const wallMs =
    'requests' in phase
      ? await pool(phase.requests.length, phase.concurrency, async (i) => {
          samples[i] = await call(baseUrl, phase.requests[i])
        })
      : await pool(phase.count, phase.concurrency, async (i) => {
          const started = performance.now()
          await ddb.send(new TransactWriteItemsCommand(renew(phase.transaction)))
          samples[i] = { kind: 'raw', ms: performance.now() - started, ddb: 0, server: 0, ok: true }
        })
  results.push({ samples, wallMs })
}
console.log(JSON.stringify(results))
