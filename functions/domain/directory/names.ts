import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet'
import { BatchGetCommand, execute as executeBatchGet } from 'dynamodb-toolbox/table/actions/batchGet'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { table } from '../../db/table.js'

/** Names of people and departments by id (what people read: names, never ids). */
export interface Names {
  users: Map<string, string>
  depts: Map<string, string>
}

/**
 * The names of these people and departments: one BatchGetItem per 100 ids (none when there are none).
 * An id the directory does not hold keeps no name (the caller shows the id).
 */
export async function directoryNames(
  tenantId: string,
  { userIds = [], deptIds = [] }: { userIds?: Iterable<string>; deptIds?: Iterable<string> },
): Promise<Names> {
  const names: Names = { users: new Map(), depts: new Map() }
  const keys = [
    ...[...new Set(userIds)].map((id) => ({ kind: 'user' as const, id })),
    ...[...new Set(deptIds)].map((id) => ({ kind: 'dept' as const, id })),
  ]
  const chunks = Array.from({ length: Math.ceil(keys.length / 100) }, (_, i) =>
    keys.slice(i * 100, i * 100 + 100),
  )
  await Promise.all(
    chunks.map(async (chunk) => {
      const users = chunk.filter((k) => k.kind === 'user')
      const depts = chunk.filter((k) => k.kind === 'dept')
      const requests = [
        ...users.map(({ id }) => UserEntity.build(BatchGetRequest).key({ tenantId, id })),
        ...depts.map(({ id }) => DeptEntity.build(BatchGetRequest).key({ tenantId, id })),
      ]
      const { Responses = [] } = await executeBatchGet(
        { maxAttempts: 3 },
        table.build(BatchGetCommand).requests(...(requests as [(typeof requests)[number]])),
      )
      const found = (Responses[0] ?? []) as ({ id: string; name: string } | undefined)[]
      found.forEach((item, i) => {
        if (!item) return
        ;(i < users.length ? names.users : names.depts).set(item.id, item.name)
      })
    }),
  )
  return names
}
