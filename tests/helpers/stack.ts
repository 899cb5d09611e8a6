import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, inject } from 'vitest'
import type { Session } from '../../functions/core/context.js'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { nowIso } from '../../functions/core/clock.js'
import { UserEntity } from '../../functions/db/entities/directory.js'
import { tenantKey, TAG } from '../../functions/db/entities/record.js'
import { signSession } from '../../functions/core/session.js'
import { createApiClient } from '../../shared/api/client.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { startStack, type Stack } from '../../local/stack.js'

export interface HttpResult<T = unknown> {
  status: number
  headers: Headers
  json: T
  text: string
}

export interface TestStack {
  stack: Stack
  baseUrl: string
  /** raw HTTP against the local server (real sockets, real handlers) */
  http<T = any>(
    method: string,
    path: string,
    init?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<HttpResult<T>>
  /** logs a demo user in through the emulator, as the apps do */
  login(userId: string): Promise<string>
  /** a token for any session, e.g. in another tenant (the tenant comes only from a verified token) */
  token(session: Partial<Session> & { tenantId: string; userId: string }): Promise<string>
  client(token: string): ReturnType<typeof createApiClient>
}

/**
 * Starts the local stack for one test file on the shared DynamoDB Local, with a table of its own that is
 * deleted afterwards: files run in parallel and leave nothing behind.
 */
export function useStack(options: { seed?: boolean; staticDir?: string } = {}): TestStack {
  const ctx = {} as TestStack
  beforeAll(async () => {
    const stack = await startStack({
      ddbEndpoint: inject('ddbEndpoint'),
      tableName: `test-${randomUUID()}`,
      seed: options.seed ?? true,
      // a built H5 app to serve at `/` (read per request, so it may be built after the stack starts)
      staticDir: options.staticDir,
    })
    const http: TestStack['http'] = async (method, path, init = {}) => {
      const headers: Record<string, string> = { ...init.headers }
      if (init.token) headers.authorization = `Bearer ${init.token}`
      if (init.body !== undefined) headers['content-type'] ??= 'application/json'
      const response = await fetch(stack.baseUrl + path, {
        method,
        headers,
        body: init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
      })
      const text = await response.text()
      let json: unknown
      try {
        json = text ? JSON.parse(text) : undefined
      } catch {
        json = undefined
      }
      return { status: response.status, headers: response.headers, json, text } as HttpResult<any>
    }
    Object.assign(ctx, {
      stack,
      baseUrl: stack.baseUrl,
      http,
      login: async (userId: string) => {
        const { json: code } = await http('POST', '/dingtalk/__authcode', { body: { userId } })
        const { status, json } = await http('POST', '/api/auth/login', {
          body: { authCode: code.authCode, corpId: DEMO_CORP_ID },
        })
        if (status !== 200) throw new Error(`login ${userId} failed: ${JSON.stringify(json)}`)
        return json.token as string
      },
      token: async (partial) => {
        const session: Session = {
          name: partial.userId,
          role: 'member',
          deptIds: [],
          scopeDeptIds: [],
          ...partial,
        }
        await joinDirectory(stack, session)
        return (await signSession(session)).token
      },
      client: (token: string) => createApiClient({ baseUrl: stack.baseUrl, getToken: () => token }),
    } satisfies Partial<TestStack>)
  })
  afterAll(async () => {
    if (!ctx.stack) return
    await new DynamoDBClient({}).send(new DeleteTableCommand({ TableName: ctx.stack.tableName }))
    await ctx.stack.stop()
  })
  return ctx
}

/**
 * Puts the person of a made-up session in the directory (sessions follow it: a token of someone it does
 * not hold answers 401), and in the emulator's organisation when the tenant is the demo one, so a daily
 * directory sync keeps them. A manager leads the departments of their scope.
 */
async function joinDirectory(stack: Stack, session: Session) {
  const leaderDeptIds = session.role === 'manager' ? session.scopeDeptIds : []
  const at = nowIso()
  await UserEntity.build(PutItemCommand)
    .item({
      tenantId: session.tenantId,
      id: session.userId,
      name: session.name,
      avatar: '',
      deptIds: session.deptIds,
      leaderDeptIds,
      role: session.role,
      roleOverride: session.role,
      active: true,
      createdAt: at,
      updatedAt: at,
      version: 1,
      gsi1pk: tenantKey(session.tenantId, TAG.user),
      gsi1sk: session.name,
    })
    .send()
  const org = stack.emulator.org
  if (session.tenantId !== org.corpId || org.users.some((u) => u.userId === session.userId)) return
  org.users.push({
    userId: session.userId,
    unionId: `union-${session.userId}`,
    name: session.name,
    mobile: '',
    title: '',
    jobNumber: '',
    avatar: '',
    deptIds: session.deptIds.length ? session.deptIds.map(Number) : [1], // DingTalk lists everyone somewhere
    leaderOf: leaderDeptIds.map(Number),
    admin: session.role === 'admin',
    boss: false,
  })
}

/** Reads `Server-Timing: ddb;desc="calls=1 rcu=0.5 wcu=0"`. */
export function ddbUsage(headers: Headers): { calls: number; rcu: number; wcu: number } {
  const match = /calls=(\d+) rcu=([\d.]+) wcu=([\d.]+)/.exec(headers.get('server-timing') ?? '')
  if (!match) throw new Error('no Server-Timing ddb entry')
  return { calls: Number(match[1]), rcu: Number(match[2]), wcu: Number(match[3]) }
}
