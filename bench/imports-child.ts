/**
 * The measured side of `bench/imports.ts`, run in its own Node process (bundled like a deployed
 * function) so its peak RSS is the import's alone: imports the file named by argv[2] for one session,
 * resuming until done; then, as the baseline, writes the items the same rows make (the domain's own
 * create writes, for another tenant) with nothing but BatchWriteItem. Prints the figures as JSON.
 */
import { BatchWriteCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { config } from '../functions/core/config.js'
import type { Session } from '../functions/core/context.js'
import { getDocumentClient } from '../functions/db/client.js'
import { type CounterChange, counterWrite } from '../functions/db/counters.js'
import { parseTable } from '../functions/domain/imports/files.js'
import { importers } from '../functions/domain/imports/importers.js'
import { rowRecordId, runImport, startImport } from '../functions/domain/imports/index.js'
import { CHUNK_ROWS } from '../functions/domain/imports/jobs.js'
import { pool } from '../functions/domain/imports/rows.js'
import { mapHeaders } from '../shared/schemas/index.js'

const session: Session = {
  tenantId: 'bench-imports',
  userId: 'bench-sales',
  name: '导入基准',
  role: 'member',
  deptIds: ['201'],
  scopeDeptIds: [],
}

const bytes = readFileSync(process.argv[2])
const baselineRows = Number(process.argv[3])

/**
 * CPU seconds DynamoDB Local has used so far (Linux: its process found by the endpoint's port), so each
 * side can say what it cost the database per row — a figure the machine's other load moves less than
 * rows per second. Undefined elsewhere.
 */
function databaseCpu(): number | undefined {
  try {
    const port = new URL(process.env.AWS_ENDPOINT_URL_DYNAMODB!).port
    const pid = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .find((line) => line.includes('java') && line.includes(`-port ${port} `))
      ?.trim()
      .split(' ')[0]
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}
const msPerRow = (from: number | undefined, rows: number) => {
  const to = databaseCpu()
  return from === undefined || to === undefined ? undefined : ((to - from) * 1000) / rows
}

// DynamoDB Local is a JVM started just before: all sides are measured after it has warmed up (a first raw
// write of the baseline's rows and their counters, for a tenant of its own), not the import alone while
// it compiles
const warmUp = await baseline(Math.min(baselineRows, 2_000), 'bench-imports-warmup', true)
// the import's DynamoDB calls by command (the baselines' are theirs by construction)
const calls: Record<string, number> = {}
let counting = true
getDocumentClient().middlewareStack.add(
  (next, context) => (args) => {
    if (counting) calls[context.commandName ?? '?'] = (calls[context.commandName ?? '?'] ?? 0) + 1
    return next(args)
  },
  { step: 'initialize', name: 'benchImportCalls' },
)
const importCpu = databaseCpu()
const ownCpu = process.cpuUsage()
const started = performance.now()
let job = await startImport(
  session,
  'customers',
  { policy: 'create', target: 'mine' },
  { fileName: 'bench.xlsx', bytes },
)
let runs = 1
while (job.status === 'running') {
  job = await runImport(session, job.id)
  runs++
}
const seconds = (performance.now() - started) / 1000
const { user, system } = process.cpuUsage(ownCpu)
counting = false
const databaseMsPerRow = msPerRow(importCpu, job.total)
const peakRssMb = process.resourceUsage().maxRSS / 1024

/**
 * The same rows' items (record, entries, timeline entry) put 25 a call, 16 calls at once; `withCounters`
 * adds the counter writes the import cannot batch — summed per chunk of rows as its checkpoints sum them
 * (a name's counter per new name, the lists' and reports' few), one TransactWriteItems a chunk among the
 * same 16 workers: the raw calls the import needs, where the first baseline is the items alone.
 */
async function baseline(rows: number, tenantId = 'bench-imports-baseline', withCounters = false) {
  const other = { ...session, tenantId }
  const ctx = { session: other, target: 'mine' as const, cache: new Map<string, unknown>() }
  const sheet = await parseTable(bytes, 'xlsx')
  const columns = mapHeaders('customers', sheet.headers, undefined)
  const items: Record<string, unknown>[] = []
  const chunks: Map<string, CounterChange>[] = []
  for (const [i, { row, cells }] of sheet.rows.slice(0, rows).entries()) {
    const raw = Object.fromEntries(
      columns.flatMap((c, i) => (c && cells[i] ? [[c.field, c.parse ? c.parse(cells[i]) : cells[i]]] : [])),
    )
    const input = importers.customers.input.parse(raw)
    const writes = await importers.customers.create!(ctx, input, rowRecordId('01KBASE1INE0000000', row))
    const sums = (chunks[Math.floor(i / CHUNK_ROWS)] ??= new Map())
    for (const write of writes) {
      const { Put } = write.action.params() as { Put?: { Item: Record<string, unknown> } }
      if (Put) items.push(Put.Item)
      const c = write.counter
      if (c) sums.set(c.name, { ...c, delta: (sums.get(c.name)?.delta ?? 0) + c.delta })
    }
  }
  const tableName = config.tableName()
  const calls: (() => Promise<unknown>)[] = []
  for (let i = 0; i < items.length; i += 25) {
    const batch = items.slice(i, i + 25)
    calls.push(async () => {
      let requests = { [tableName]: batch.map((Item) => ({ PutRequest: { Item } })) }
      while (requests[tableName]?.length) {
        const { UnprocessedItems = {} } = await getDocumentClient().send(
          new BatchWriteCommand({ RequestItems: requests }),
        )
        requests = UnprocessedItems as typeof requests
      }
    })
  }
  const counterWrites = chunks.flatMap((sums) => {
    const updates = [...sums.values()].map((c) => counterWrite(tenantId, c).action.params())
    return updates.length ? [updates] : []
  })
  if (withCounters)
    for (const updates of counterWrites)
      calls.push(() =>
        getDocumentClient().send(
          new TransactWriteCommand({
            TransactItems: updates as ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems'],
          }),
        ),
      )
  const writeCpu = databaseCpu()
  const writeStarted = performance.now()
  await pool(calls, 16, (call) => call().then(() => undefined))
  const writeSeconds = (performance.now() - writeStarted) / 1000
  return {
    rows,
    items: items.length,
    counterWrites: withCounters ? counterWrites.reduce((n, updates) => n + updates.length, 0) : 0,
    seconds: writeSeconds,
    rowsPerSecond: rows / writeSeconds,
    databaseMsPerRow: msPerRow(writeCpu, rows),
  }
}

console.log(
  JSON.stringify({
    rows: job.total,
    created: job.created,
    failed: job.failed,
    runs,
    seconds,
    rowsPerSecond: job.total / seconds,
    peakRssMb,
    databaseMsPerRow,
    cpuMsPerRow: (user + system) / 1000 / job.total,
    calls,
    warmUp,
    baseline: await baseline(Math.min(baselineRows, job.total)),
    withCounters: await baseline(Math.min(baselineRows, job.total), 'bench-imports-counted', true),
  }),
)
