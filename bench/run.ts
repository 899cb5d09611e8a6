/**
 * `npm run bench`: starts the local stack on an in-memory DynamoDB Local and prints each benchmark's
 * figures next to a baseline measured in the same run.
 */
import { startStack } from '../local/stack.js'
import { benchApprovals } from './approvals.js'
import { benchBundles } from './bundles.js'
import { benchCrud } from './crud.js'
import { benchImports } from './imports.js'
import { benchLifecycle } from './lifecycle.js'
import { benchReports } from './reports.js'
import { benchScheduler } from './scheduler.js'

process.env.LOG_LEVEL = 'error'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const stack = await startStack({ tableName: 'crm-bench', seed: false })
try {
  await benchCrud(stack.tableName, Number(process.env.BENCH_ITERATIONS ?? 300))
  // 10 000 takes ~9 minutes at DingTalk's 20 cards/s: BENCH_REMINDERS=10000 for the full figure
  await benchScheduler(stack, Number(process.env.BENCH_REMINDERS ?? 1000))
  // reports at 1 k and 100 k contracts (BENCH_REPORT_CONTRACTS to change the larger size)
  await benchReports(30)
  // the 20 000-row customer file (BENCH_IMPORT_ROWS to change it)
  await benchImports(Number(process.env.BENCH_IMPORT_ROWS ?? 20_000))
  // customers at 1 k (through the API) and 50 k (bulk; BENCH_CUSTOMERS to change the larger size)
  await benchLifecycle(30)
  // 审批: a decision's calls, 待我审批 at 10 and 10 000 pending (BENCH_APPROVALS to change the larger size)
  await benchApprovals(30)
} finally {
  await stack.stop()
}
await benchBundles()
