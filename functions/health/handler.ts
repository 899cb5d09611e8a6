import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { health } from '../../shared/contract/health.js'
import { config } from '../core/config.js'
import { getDocumentClient } from '../db/client.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

export const handler = apiFunction([
  serve(health.check, async () => {
    await getDocumentClient().send(new DescribeTableCommand({ TableName: config.tableName() }))
    return { ok: true }
  }),
])
