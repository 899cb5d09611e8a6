/**
 * `npm run bench:scheduler`: only the scheduler part of `npm run bench` (cards, to-dos and group cards
 * against DingTalk's rates), on a stack of its own. BENCH_REMINDERS sets the size (default 1000),
 * BENCH_VERBOSE=1 prints each run.
 */
import { startStack } from '../local/stack.js'
import { benchScheduler } from './scheduler.js'

process.env.LOG_LEVEL = 'error'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const stack = await startStack({ tableName: 'crm-bench', seed: false })
try {
  await benchScheduler(stack, Number(process.env.BENCH_REMINDERS ?? 1000))
} finally {
  await stack.stop()
}
