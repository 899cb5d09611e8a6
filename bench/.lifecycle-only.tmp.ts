import { startStack } from '../local/stack.js'
import { benchLifecycle } from './lifecycle.js'
process.env.LOG_LEVEL = 'error'
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'
const stack = await startStack({ tableName: 'crm-bench-lc', seed: false })
try {
  await benchLifecycle(Number(process.env.ITER ?? 10))
} finally {
  await stack.stop()
}
