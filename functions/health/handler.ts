import { DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import { config } from '../core/config.js'
import { getDocumentClient } from '../db/client.js'
import { apiFunction } from '../api-function.js'
import { route } from '../http/route.js'

export const handler = apiFunction([
  route({
    method: 'GET',
    path: '/api/health',
    public: true,
    summary: '{ ok: true } once the table is reachable',
    handler: async () => {
      await getDocumentClient().send(new DescribeTableCommand({ TableName: config.tableName() }))
      return { ok: true }
    },
  }),
])
