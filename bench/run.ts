/**
 * `npm run bench`: starts the local stack on an in-memory DynamoDB Local and prints each benchmark's
 * figures next to a baseline measured in the same run.
 */
import { startStack } from '../local/stack.js'
import { benchBundles } from './bundles.js'
import { benchCrud } from './crud.js'

process.env.LOG_LEVEL = 'error'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const stack = await startStack({ tableName: 'crm-bench', seed: false })
try {
  await benchCrud(stack.tableName, Number(process.env.BENCH_ITERATIONS ?? 300))
} finally {
  await stack.stop()
}
await benchBundles()
