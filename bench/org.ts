import { BatchWriteCommand as RawBatchWriteCommand } from '@aws-sdk/lib-dynamodb'
import { config } from '../functions/core/config.js'
import { signSession } from '../functions/core/session.js'
import { getDocumentClient } from '../functions/db/client.js'
import { BatchPutRequest } from 'dynamodb-toolbox/entity/actions/batchPut'
import { BatchWriteCommand, execute } from 'dynamodb-toolbox/table/actions/batchWrite'
import { DeptEntity, UserEntity } from '../functions/db/entities/directory.js'
import { tenantKey, TAG } from '../functions/db/entities/record.js'
import { table } from '../functions/db/table.js'

/** Bulk loading for benches: data sets too large to write through the API on a 2-core machine. */

export const at = '2026-01-01T00:00:00.000Z'

/** Item requests of any entity, 25 a BatchWriteItem, a few batches in flight (the machine is small). */
export async function batchPut(requests: unknown[], inFlight = 4) {
  const chunks: unknown[][] = []
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25))
  for (let i = 0; i < chunks.length; i += inFlight) {
    await Promise.all(
      chunks
        .slice(i, i + inFlight)
        .map((chunk) =>
          execute({ maxAttempts: 20 }, table.build(BatchWriteCommand).requests(...(chunk as never[]))),
        ),
    )
  }
}

/** Plain items (as stored: keys included), 25 a BatchWriteItem, unprocessed ones sent again. */
export async function putItems(items: Record<string, unknown>[], inFlight = 4) {
  const TableName = config.tableName()
  const chunks: Record<string, unknown>[][] = []
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25))
  for (let i = 0; i < chunks.length; i += inFlight) {
    await Promise.all(
      chunks.slice(i, i + inFlight).map(async (chunk) => {
        let requests = { [TableName]: chunk.map((Item) => ({ PutRequest: { Item } })) }
        while (requests[TableName]?.length) {
          const { UnprocessedItems = {} } = await getDocumentClient().send(
            new RawBatchWriteCommand({ RequestItems: requests }),
          )
          requests = UnprocessedItems as typeof requests
        }
      }),
    )
  }
}

/** A bench organisation: departments, then users (`boss` is admin, `m1` manages department 11). */
export async function seedOrg(
  tenantId: string,
  depts: { id: string; name: string; parentId?: string; path: string[] }[],
  users: { id: string; deptId: string }[],
) {
  await batchPut([
    ...depts.map((d) =>
      DeptEntity.build(BatchPutRequest).item({
        tenantId,
        ...d,
        updatedAt: at,
        gsi1pk: tenantKey(tenantId, TAG.dept),
        gsi1sk: d.path.join('/'),
      }),
    ),
    ...users.map((u) =>
      UserEntity.build(BatchPutRequest).item({
        tenantId,
        id: u.id,
        name: u.id,
        avatar: '',
        deptIds: [u.deptId],
        leaderDeptIds: u.id === 'm1' ? ['11'] : [],
        role: u.id === 'boss' ? 'admin' : u.id === 'm1' ? 'manager' : 'member',
        active: true,
        createdAt: at,
        updatedAt: at,
        version: 1,
        gsi1pk: tenantKey(tenantId, TAG.user),
        gsi1sk: u.id,
      }),
    ),
  ])
}

/** A company with one sales department and its salesperson `s1` (and the admin `boss`): s1's token. */
export async function seedSalesperson(tenantId: string): Promise<string> {
  await seedOrg(
    tenantId,
    [
      { id: '1', name: '公司', path: ['1'] },
      { id: '11', name: '销售一部', parentId: '1', path: ['1', '11'] },
    ],
    [
      { id: 'boss', deptId: '1' },
      { id: 's1', deptId: '11' },
    ],
  )
  const { token } = await signSession({
    tenantId,
    userId: 's1',
    name: 's1',
    role: 'member',
    deptIds: ['11'],
    scopeDeptIds: [],
  })
  return token
}
