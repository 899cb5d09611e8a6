import { mkdtemp } from 'node:fs/promises'
import type http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { now } from '../functions/core/clock.js'
import { ensureTable } from '../functions/db/admin.js'
import { setDingTalkClient } from '../functions/dingtalk/client.js'
import { runSchedulerAt } from '../functions/scheduler/handler.js'
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.js'
import { createEmulator, type Emulator } from './emulator/index.js'
import { localEnv } from './env.js'
import { seedDemo } from './seed.js'
import { createLocalServer } from './server.js'

export interface Stack {
  baseUrl: string
  emulator: Emulator
  server: http.Server
  tableName: string
  stop(): Promise<void>
}

/**
 * The whole local stack in one process: DynamoDB Local (unless an endpoint is given), the table, the
 * DingTalk emulator and the API on one port. `npm start` and the tests both use it.
 */
export async function startStack(options: {
  port?: number
  /** DynamoDB Local data directory; in memory when absent */
  dataDir?: string
  /** reuse a running DynamoDB Local */
  ddbEndpoint?: string
  tableName?: string
  staticDir?: string
  seed?: boolean
}): Promise<Stack> {
  const ddb: DynamoDbLocal | undefined = options.ddbEndpoint
    ? undefined
    : await startDynamoDbLocal({ dbPath: options.dataDir })
  const emulator = createEmulator({ now })
  let ready = false
  // uploaded files beside DynamoDB Local's data, or in a folder of their own for an in-memory stack
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'crm-data-')))
  const server = createLocalServer({
    emulator,
    dataDir,
    staticDir: options.staticDir,
    dev: { '/scheduler/run': runSchedulerAt },
    ready: () => ready,
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const tableName = options.tableName ?? 'crm'
  localEnv({ baseUrl, ddbEndpoint: options.ddbEndpoint ?? ddb!.endpoint, tableName, dataDir })
  setDingTalkClient(undefined) // re-read the environment just set
  const created = (await ensureTable(tableName)) === 'created'
  if (created && options.seed) await seedDemo()
  ready = true
  return {
    baseUrl,
    emulator,
    server,
    tableName,
    stop: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await ddb?.stop()
    },
  }
}
