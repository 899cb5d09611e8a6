import type { TestProject } from 'vitest/node'
import { startDynamoDbLocal } from '../../local/dynamodb-local.js'

declare module 'vitest' {
  export interface ProvidedContext {
    ddbEndpoint: string
  }
}

/** Starts AWS's DynamoDB Local once, in memory, for the whole run. */
export default async function setup(project: TestProject) {
  const ddb = await startDynamoDbLocal()
  project.provide('ddbEndpoint', ddb.endpoint)
  return () => ddb.stop()
}
