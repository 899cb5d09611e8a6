/**
 * `npm run db:create`: creates the table (idempotently) wherever the AWS SDK points: real DynamoDB with
 * the usual AWS_* variables, or a local endpoint with AWS_ENDPOINT_URL_DYNAMODB.
 */
import { config } from '../functions/core/config.js'
import { ensureTable } from '../functions/db/admin.js'

const name = config.tableName()
const outcome = await ensureTable(name)
console.log(outcome === 'created' ? `created table ${name}` : `table ${name} already exists`)
