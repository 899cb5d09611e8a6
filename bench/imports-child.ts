/**
 * The measured side of `bench/imports.ts`, run in its own Node process (bundled like a deployed
 * function) so its peak RSS is the import's alone: imports the file named by argv[2] for one session,
 * resuming until done; then, as the baseline, writes the items the same rows make (the domain's own
 * create writes, for another tenant) with nothing but BatchWriteItem. Prints the figures as JSON.
 */
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb'
import { readFileSync } from 'node:fs'
import { config } from '../functions/core/config.js'
import type { Session } from '../functions/core/context.js'
import { getDocumentClient } from '../functions/db/client.js'
import { parseTable } from '../functions/domain/imports/files.js'
import { importers } from '../functions/domain/imports/importers.js'
import { rowRecordId, runImport, startImport } from '../functions/domain/imports/index.js'
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
const peakRssMb = process.resourceUsage().maxRSS / 1024

/** The same rows' items (record, entries, timeline entry; not the counters) put 25 a call, 16 calls at once. */
async function baseline(rows: number) {
  const other = { ...session, tenantId: 'bench-imports-baseline' }
  const ctx = { session: other, target: 'mine' as const, cache: new Map<string, unknown>() }
  const sheet = await parseTable(bytes, 'xlsx')
  const columns = mapHeaders('customers', sheet.headers, undefined)
  const items: Record<string, unknown>[] = []
  for (const { row, cells } of sheet.rows.slice(0, rows)) {
    const raw = Object.fromEntries(
      columns.flatMap((c, i) => (c && cells[i] ? [[c.field, c.parse ? c.parse(cells[i]) : cells[i]]] : [])),
    )
    const input = importers.customers.input.parse(raw)
    const writes = await importers.customers.create!(ctx, input, rowRecordId('01KBASE1INE0000000', row))
    for (const write of writes) {
      const { Put } = write.action.params() as { Put?: { Item: Record<string, unknown> } }
      if (Put) items.push(Put.Item)
    }
  }
  const batches: Record<string, unknown>[][] = []
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25))
  const tableName = config.tableName()
  const writeStarted = performance.now()
  let next = 0
  const worker = async () => {
    while (next < batches.length) {
      let requests = { [tableName]: batches[next++].map((Item) => ({ PutRequest: { Item } })) }
      while (requests[tableName]?.length) {
        const { UnprocessedItems = {} } = await getDocumentClient().send(
          new BatchWriteCommand({ RequestItems: requests }),
        )
        requests = UnprocessedItems as typeof requests
      }
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  const writeSeconds = (performance.now() - writeStarted) / 1000
  return { rows, items: items.length, seconds: writeSeconds, rowsPerSecond: rows / writeSeconds }
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
    baseline: await baseline(Math.min(baselineRows, job.total)),
  }),
)
