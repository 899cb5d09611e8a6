/**
 * `npm run reports:rebuild [tenantId]`: recomputes the report counters of a tenant (default: the app's
 * corp, DINGTALK_CORP_ID) from its records, wherever the AWS SDK points (`AWS_*`, `TABLE_NAME`).
 */
import { config } from '../functions/core/config.js'
import { rebuildReportCounters } from '../functions/domain/stats/rebuild.js'

const tenantId = process.argv[2] ?? config.corpId()
if (!tenantId) {
  console.error('usage: npm run reports:rebuild <tenantId>  (or set DINGTALK_CORP_ID)')
  process.exit(2)
}
const { records, counters } = await rebuildReportCounters(tenantId)
console.log(`tenant ${tenantId}: ${records} records → ${counters} report counters rewritten`)
