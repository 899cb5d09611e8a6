/**
 * The measured side of `bench/imports.ts`, run in its own Node process (bundled like a deployed
 * function) so its peak RSS is the import's alone: imports the file named by argv[2] for one session,
 * resuming until done, and prints the figures as JSON.
 */
import { readFileSync } from 'node:fs'
import type { Session } from '../functions/core/context.js'
import { runImport, startImport } from '../functions/domain/imports.js'

const session: Session = {
  tenantId: 'bench-imports',
  userId: 'bench-sales',
  name: '导入基准',
  role: 'member',
  deptIds: ['201'],
  scopeDeptIds: [],
}

const bytes = readFileSync(process.argv[2])
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
console.log(
  JSON.stringify({
    rows: job.total,
    created: job.created,
    failed: job.failed,
    runs,
    seconds,
    rowsPerSecond: job.total / seconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
)
