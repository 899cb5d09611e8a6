/**
 * Route factory overhead: for get / list / create / update of a product, the DynamoDB calls each
 * operation makes (from Server-Timing) and the median latency of our handler (called with a Function
 * Compute 3 event, the whole middy stack, validation, JWT check and encoding included) against the
 * median of the raw DynamoDB calls it needs, measured alternately in one run.
 */
import { GetCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb'
import { ulid } from 'ulid'
import { getDocumentClient } from '../functions/db/client.js'
import { handler } from '../functions/products/handler.js'
import { signSession } from '../functions/core/session.js'
import { ms, printTable, sideBySide, fc3 } from './lib.js'
import { seedOrg } from './org.js'

/** The route's DynamoDB calls, and the directory check's when it read (`1 + 1 directory`). */
const serverTimingCalls = (headers: Record<string, string>) => {
  const timing = headers['server-timing'] ?? ''
  const route = /ddb;desc="calls=(\d+)/.exec(timing)?.[1]
  const directory = Number(/directory;desc="calls=(\d+)/.exec(timing)?.[1] ?? 0)
  return directory ? `${route} + ${directory} directory` : route
}

export async function benchCrud(tableName: string, iterations = 200) {
  const tenantId = 'bench-crud'
  // sessions follow the directory: the caller is in it
  await seedOrg(tenantId, [], [{ id: 'boss', deptId: '1' }])
  const { token } = await signSession({
    tenantId,
    userId: 'boss',
    name: 'bench',
    role: 'admin',
    deptIds: [],
    scopeDeptIds: [],
  })
  const ddb = getDocumentClient()
  const call = async (method: string, path: string, body?: unknown, query?: Record<string, string>) => {
    const response = await handler(fc3(token, method, path, body, query), {})
    if (response.statusCode >= 300)
      throw new Error(`${method} ${path} → ${response.statusCode} ${response.body}`)
    return response
  }

  // Data to read: 100 products.
  const ids: string[] = []
  for (let i = 0; i < 100; i++)
    ids.push(JSON.parse((await call('POST', '/api/products', { name: `产品 ${i}`, price: 9.9 })).body).id)
  const versions = new Map(ids.map((id) => [id, 1]))
  const pk = (id: string) => `T#${tenantId}#PRD#${id}`
  const item = (id: string, version: number) => ({
    pk: pk(id),
    sk: '#',
    tenantId,
    id,
    name: '原始',
    enabled: true,
    createdAt: new Date().toISOString(),
    createdBy: 'boss',
    updatedAt: new Date().toISOString(),
    version,
    gsi1pk: `T#${tenantId}#PRD`,
    gsi1sk: id,
  })

  const rows: Record<string, string | number>[] = []
  const measure = async (
    op: string,
    ours: (i: number) => Promise<unknown>,
    raw: (i: number) => Promise<unknown>,
    calls: string,
  ) => {
    const r = await sideBySide(iterations, ours, raw)
    rows.push({
      op,
      'ddb calls': calls,
      'handler p50': ms(r.ours),
      'raw DynamoDB p50': ms(r.baseline),
      ratio: r.ratio.toFixed(2) + '×',
    })
  }

  const pick = (i: number) => ids[Math.abs(i) % ids.length]
  const rawGet = (i: number) =>
    ddb.send(
      new GetCommand({ TableName: tableName, Key: { pk: pk(pick(i)), sk: '#' }, ConsistentRead: true }),
    )
  await measure(
    'get',
    (i) => call('GET', `/api/products/${pick(i)}`),
    rawGet,
    serverTimingCalls((await call('GET', `/api/products/${ids[0]}`)).headers)!,
  )
  await measure(
    'list (20)',
    () => call('GET', '/api/products', undefined, { limit: '20' }),
    () =>
      ddb.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': `T#${tenantId}#PRD` },
          ScanIndexForward: false,
          Limit: 20,
        }),
      ),
    serverTimingCalls((await call('GET', '/api/products', undefined, { limit: '20' })).headers)!,
  )
  await measure(
    'create',
    () => call('POST', '/api/products', { name: '新产品', price: 1.5 }),
    () => {
      const id = ulid()
      return ddb.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tableName,
                Item: item(id, 1),
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      )
    },
    serverTimingCalls((await call('POST', '/api/products', { name: 'x' })).headers)!,
  )
  const rawUpdate = async (i: number) => {
    const id = ids[50 + (Math.abs(i) % 50)] // the baseline updates its own half of the products
    const { Item } = await ddb.send(
      new GetCommand({ TableName: tableName, Key: { pk: pk(id), sk: '#' }, ConsistentRead: true }),
    )
    await ddb.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: tableName,
              Item: { ...Item, name: '改', version: Item!.version + 1 },
              ConditionExpression: 'version = :v',
              ExpressionAttributeValues: { ':v': Item!.version },
            },
          },
        ],
      }),
    )
  }
  let updateCalls = ''
  await measure(
    'update',
    async (i) => {
      const id = ids[Math.abs(i) % 50]
      const version = versions.get(id)!
      const response = await call('PATCH', `/api/products/${id}`, { name: `改名 ${i}`, version })
      versions.set(id, version + 1)
      updateCalls ||= serverTimingCalls(response.headers)!
    },
    rawUpdate,
    '2',
  )
  rows[rows.length - 1]['ddb calls'] = updateCalls
  // The per-request directory check (sessions.ts): above, a warm instance within its cache window reads
  // nothing for it; here every request comes after the window and reads the user again (one BatchGet).
  process.env.DIRECTORY_CACHE_SECONDS = '0'
  try {
    await measure(
      'get (session re-read)',
      (i) => call('GET', `/api/products/${pick(i)}`),
      rawGet,
      serverTimingCalls((await call('GET', `/api/products/${ids[0]}`)).headers)!,
    )
  } finally {
    delete process.env.DIRECTORY_CACHE_SECONDS
  }
  printTable(`Route factory vs raw DynamoDB (products, ${iterations} iterations each, medians)`, rows)
  return rows
}
