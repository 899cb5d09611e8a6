import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { currentRequest } from '../core/context.js'

interface Capacity {
  CapacityUnits?: number
  ReadCapacityUnits?: number
  WriteCapacityUnits?: number
}

/**
 * Counts every DynamoDB call of the current request and the capacity it consumed (the SDK middleware
 * asks for `ReturnConsumedCapacity: TOTAL`). The HTTP layer reports it as `Server-Timing`.
 */
function observe(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>
      const command = context.commandName ?? ''
      if (!/Table|TimeToLive/.test(command)) input.ReturnConsumedCapacity ??= 'TOTAL'
      const started = performance.now()
      const result = await next(args)
      const state = currentRequest()
      if (state) {
        state.ddb.calls += 1
        state.ddb.ms += performance.now() - started
        const output = result.output as { ConsumedCapacity?: Capacity | Capacity[] }
        const consumed = ([] as Capacity[]).concat(output.ConsumedCapacity ?? [])
        for (const c of consumed) {
          // Reads and writes are told apart by the command: DynamoDB reports only totals.
          const units = c.CapacityUnits ?? 0
          if (/Get|Query|Scan/.test(command)) state.ddb.rcu += c.ReadCapacityUnits ?? units
          else state.ddb.wcu += c.WriteCapacityUnits ?? units
        }
      }
      return result
    },
    { step: 'initialize', name: 'crmObserveCapacity' },
  )
}

let documentClient: DynamoDBDocumentClient | undefined

/** The one document client. Production keeps `new DynamoDBClient({})`; the SDK reads the endpoint from env. */
export function getDocumentClient(): DynamoDBDocumentClient {
  if (!documentClient) {
    const client = new DynamoDBClient({})
    observe(client)
    documentClient = DynamoDBDocumentClient.from(client, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
    })
  }
  return documentClient
}
