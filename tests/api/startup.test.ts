import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { freePort } from '../../local/dynamodb-local.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { startStack, type Stack } from '../../local/stack.js'

/**
 * `npm start` as a script meets it: it waits for `/api/health`, then works. Health must not answer ok
 * before the demo seed is written, or the script's first steps race the seed.
 */
const tableName = `test-${randomUUID()}`
let stack: Stack | undefined
afterAll(async () => {
  await new DynamoDBClient({}).send(new DeleteTableCommand({ TableName: tableName }))
  await stack?.stop()
})

const get = async (base: string, path: string, token?: string) => {
  const response = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  return { status: response.status, json: await response.json() }
}

async function login(base: string, userId: string) {
  const code = await fetch(`${base}/dingtalk/__authcode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  }).then((r) => r.json())
  const response = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ authCode: code.authCode, corpId: DEMO_CORP_ID }),
  })
  return { status: response.status, json: await response.json() }
}

describe('starting the local stack', () => {
  it('answers health ok only once the demo seed is written, and a login right then succeeds', async () => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const starting = startStack({ port, ddbEndpoint: inject('ddbEndpoint'), tableName, seed: true })
    const seen: number[] = []
    for (let i = 0; i < 3000; i++) {
      const status = await get(base, '/api/health').then(
        (r) => r.status,
        () => 0, // not listening yet
      )
      seen.push(status)
      if (status === 200) break
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(seen).toContain(503) // it was asked while starting
    const signedIn = await login(base, 'admin')
    expect(signedIn.status).toBe(200)
    const customersAtHealth = (await get(base, '/api/customers?limit=1', signedIn.json.token)).json.total

    stack = await starting
    const customersSeeded = (await get(base, '/api/customers?limit=1', signedIn.json.token)).json.total
    expect(customersAtHealth).toBe(customersSeeded)
    expect(customersSeeded).toBeGreaterThan(0)
  })
})
