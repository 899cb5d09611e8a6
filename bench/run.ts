/**
 * `npm run bench`: starts the local stack on an in-memory DynamoDB Local and prints each benchmark's
 * figures next to a baseline measured in the same run. `npm run bench -- writes load` runs only the
 * benchmarks named (crud, writes, scheduler, reports, feed, imports, lifecycle, bulk, approvals, fields, load, bundles;
 * `cpu`, CPU ms per request kind in-process, runs only when named).
 */
import { startStack } from '../local/stack.js'
import { benchApprovals } from './approvals.js'
import { benchBundles } from './bundles.js'
import { benchBulk } from './bulk.js'
import { benchCpu } from './cpu.js'
import { benchCrud } from './crud.js'
import { benchFeed } from './feed.js'
import { benchFields } from './fields.js'
import { benchImports } from './imports.js'
import { benchLifecycle } from './lifecycle.js'
import { benchLoad } from './load.js'
import { benchReports } from './reports.js'
import { benchScheduler } from './scheduler.js'
import { benchWrites } from './writes.js'

process.env.LOG_LEVEL = 'error'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const only = process.argv.slice(2)
const runs = (name: string) => only.length === 0 || only.includes(name)

const stack = await startStack({ tableName: 'crm-bench', seed: false })
try {
  if (runs('crud')) await benchCrud(stack.tableName, Number(process.env.BENCH_ITERATIONS ?? 300))
  // items and write units per create, per noun, and create latency ÷ a raw PutItem of the record
  if (runs('writes')) await benchWrites(Number(process.env.BENCH_WRITE_ITERATIONS ?? 50))
  // 10 000 takes ~9 minutes at DingTalk's 20 cards/s: BENCH_REMINDERS=10000 for the full figure
  if (runs('scheduler')) await benchScheduler(stack, Number(process.env.BENCH_REMINDERS ?? 1000))
  // reports at 1 k and 100 k contracts (BENCH_REPORT_CONTRACTS to change the larger size)
  if (runs('reports')) await benchReports(30)
  // 工作台 动态 pages at 1 k and 100 k activities (BENCH_FEED_ACTIVITIES to change the larger size)
  if (runs('feed')) await benchFeed(30)
  // the 20 000-row customer file (BENCH_IMPORT_ROWS to change it)
  if (runs('imports')) await benchImports(Number(process.env.BENCH_IMPORT_ROWS ?? 20_000))
  // customers at 1 k (through the API) and 50 k (bulk; BENCH_CUSTOMERS to change the larger size)
  if (runs('lifecycle')) await benchLifecycle(30)
  // 批量 经理调整 of 200 customers
  if (runs('bulk')) await benchBulk(200)
  // 审批: a decision's calls, 待我审批 at 10 and 10 000 pending (BENCH_APPROVALS to change the larger size)
  if (runs('approvals')) await benchApprovals(30)
  // 字段管理: customers with 5 custom fields at 1 k and 50 k (BENCH_FIELD_CUSTOMERS to change the larger size)
  if (runs('fields')) await benchFields(30)
  // 2 000 mixed requests over HTTP at concurrency 1 and 20; customer creates at 1 and 8 beside raw transactions
  // (sent by a client process of its own: bench/load-client.ts)
  if (runs('load'))
    await benchLoad(stack.baseUrl, {
      requests: Number(process.env.BENCH_LOAD_REQUESTS ?? 2000),
      creates: Number(process.env.BENCH_LOAD_CREATES ?? 200),
    })
  // CPU ms per request kind, in-process, beside the raw SDK call: only when named
  if (only.includes('cpu')) await benchCpu(Number(process.env.BENCH_CPU_REQUESTS ?? 300))
} finally {
  await stack.stop()
}
if (runs('bundles')) await benchBundles()
