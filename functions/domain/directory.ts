import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { Dept, Me, Role, User } from '../../shared/schemas/index.js'
import { nowIso } from '../core/clock.js'
import { config } from '../core/config.js'
import type { Session } from '../core/context.js'
import { AppError, notFound } from '../core/errors.js'
import { commit, type Write } from '../db/commit.js'
import { decodeCursor } from '../db/cursor.js'
import { DeptEntity, UserEntity } from '../db/entities/directory.js'
import { tenantKey, TAG } from '../db/entities/record.js'
import { queryAll, readPage } from '../db/pages.js'
import { table } from '../db/table.js'
import { isInvalidAuthCode, dingtalk } from '../dingtalk/client.js'
import { signSession } from '../http/session.js'
import { all } from '../db/filter.js'
import { tenantRegistryWrite } from './tenants.js'

type DeptItem = { name: string; parentId?: string; path: string[] }

/** The role DingTalk's flags give, unless an admin chose one. */
export const deriveRole = (flags: { admin: boolean; boss: boolean; leaderDeptIds: string[] }): Role =>
  flags.admin || flags.boss ? 'admin' : flags.leaderDeptIds.length > 0 ? 'manager' : 'member'

/** The department and its ancestors, root first, from DingTalk (`department/get` up the chain). */
async function deptChain(deptId: number, known: Map<number, { name: string; parentId?: number }>) {
  const chain: number[] = []
  for (let id: number | undefined = deptId; id !== undefined; id = known.get(id)!.parentId) {
    if (!known.has(id)) {
      const d = await dingtalk().getDepartment(id)
      known.set(id, { name: d.name, parentId: d.parent_id })
    }
    chain.unshift(id)
    if (chain.length > 50) break // a cycle would be DingTalk's bug; don't loop forever
  }
  return chain
}

/** All departments below the given one (`department/listsub`, breadth first). */
async function subtree(deptId: number, known: Map<number, { name: string; parentId?: number }>) {
  const ids: number[] = []
  const queue = [deptId]
  while (queue.length) {
    const parent = queue.shift()!
    for (const child of await dingtalk().listSubDepartments(parent)) {
      known.set(child.dept_id, { name: child.name, parentId: child.parent_id })
      ids.push(child.dept_id)
      queue.push(child.dept_id)
    }
  }
  return ids
}

/**
 * 免登: exchanges a DingTalk auth code for a session. Syncs the user and the departments the scope
 * needs (theirs with ancestors, and the subtrees they lead) in one transaction.
 */
export async function login({ authCode, corpId }: { authCode: string; corpId: string }) {
  // The app's credentials belong to one corp; the tenant is that corp, never what a client claims.
  const tenantId = config.corpId()
  if (!tenantId) throw new Error('DINGTALK_CORP_ID must be set')
  if (corpId !== tenantId) throw new AppError(401, 'auth.invalid', '企业 corpId 与应用不匹配')

  let userId: string
  try {
    userId = (await dingtalk().getUserInfoByCode(authCode)).userid
  } catch (error) {
    if (isInvalidAuthCode(error))
      throw new AppError(401, 'auth.invalid', '授权码无效或已使用，请重新进入应用')
    throw error
  }
  const detail = await dingtalk().getUser(userId)
  const known = new Map<number, { name: string; parentId?: number }>()
  const paths = new Map<number, number[]>()
  for (const id of detail.dept_id_list) {
    const chain = await deptChain(id, known)
    chain.forEach((d, i) => paths.set(d, chain.slice(0, i + 1)))
  }
  const led = detail.leader_in_dept.filter((l) => l.leader).map((l) => l.dept_id)
  const scope = new Set<number>(led)
  for (const id of led) {
    for (const sub of await subtree(id, known)) {
      scope.add(sub)
      paths.set(sub, [...paths.get(known.get(sub)!.parentId!)!, sub])
    }
  }

  const { Item: existing } = await UserEntity.build(GetItemCommand).key({ tenantId, id: userId }).send()
  const at = nowIso()
  const deptIds = detail.dept_id_list.map(String)
  const leaderDeptIds = led.map(String)
  const roleOverride = existing?.roleOverride
  const role = roleOverride ?? deriveRole({ admin: detail.admin, boss: detail.boss, leaderDeptIds })
  const user = {
    tenantId,
    id: userId,
    name: detail.name,
    avatar: detail.avatar,
    mobile: detail.mobile,
    title: detail.title,
    deptIds,
    leaderDeptIds,
    role,
    roleOverride,
    active: detail.active,
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
    version: (existing?.version ?? 0) + 1,
    gsi1pk: tenantKey(tenantId, TAG.user),
    gsi1sk: detail.name,
  }
  const writes: Write[] = [
    {
      action: UserEntity.build(PutTransaction)
        .item(user)
        .options({
          condition: existing ? { attr: 'version', eq: existing.version } : { attr: 'id', exists: false },
        }),
      onConditionFail: () => new AppError(409, 'version.conflict', '登录冲突，请重试'),
    },
    ...[...paths.entries()].slice(0, 90).map(([id, path]) => ({
      action: DeptEntity.build(PutTransaction).item({
        tenantId,
        id: String(id),
        name: known.get(id)!.name,
        parentId: known.get(id)!.parentId?.toString(),
        path: path.map(String),
        updatedAt: at,
        gsi1pk: tenantKey(tenantId, TAG.dept),
        gsi1sk: path.join('/'),
      } satisfies DeptItem & Record<string, unknown>),
    })),
  ]
  // the tenant joins the scheduler's registry (idempotent: an update of its registry keys)
  await commit([...writes, tenantRegistryWrite(tenantId)])

  const session: Session = {
    tenantId,
    userId,
    name: detail.name,
    role,
    deptIds,
    scopeDeptIds: [...scope].map(String),
  }
  const { token, expiresAt } = await signSession(session)
  return { token, expiresAt, user: toMe(user) }
}

const toMe = (user: {
  id: string
  name: string
  avatar: string
  deptIds: string[]
  role: Role
  tenantId: string
}): Me => ({
  id: user.id,
  name: user.name,
  avatar: user.avatar,
  deptIds: user.deptIds,
  role: user.role,
  corpId: user.tenantId,
})

export async function me(session: Session): Promise<Me> {
  const { Item } = await UserEntity.build(GetItemCommand)
    .key({ tenantId: session.tenantId, id: session.userId })
    .send()
  if (!Item) throw notFound('user')
  return toMe(Item)
}

export async function listUsers(
  session: Session,
  { limit, cursor, deptId, q }: { limit: number; cursor?: string; deptId?: string; q?: string },
) {
  const params = table
    .build(QueryCommand)
    .entities(UserEntity)
    .query({ index: 'gsi1', partition: tenantKey(session.tenantId, TAG.user) })
    .options({
      limit,
      exclusiveStartKey: decodeCursor(cursor, session.tenantId),
      filters: {
        users: all(deptId && { attr: 'deptIds', contains: deptId }, q && { attr: 'name', contains: q }),
      },
    })
    .params()
  const { items, nextCursor } = await readPage(params, { limit })
  return { items: (items as UserItem[]).map(toUser), nextCursor }
}

export async function listDepts(
  session: Session,
  { limit, cursor, q }: { limit: number; cursor?: string; q?: string },
) {
  const params = table
    .build(QueryCommand)
    .entities(DeptEntity)
    .query({ index: 'gsi1', partition: tenantKey(session.tenantId, TAG.dept) })
    .options({
      limit,
      exclusiveStartKey: decodeCursor(cursor, session.tenantId),
      filters: { depts: all(q && { attr: 'name', contains: q }) },
    })
    .params()
  const { items, nextCursor } = await readPage(params, { limit })
  return {
    items: (items as (DeptItem & { id: string; updatedAt: string })[]).map((d): Dept => ({
      id: d.id,
      name: d.name,
      parentId: d.parentId ?? null,
      path: d.path,
      updatedAt: d.updatedAt,
    })),
    nextCursor,
  }
}

type UserItem = Parameters<typeof toMe>[0] & {
  mobile?: string
  title?: string
  leaderDeptIds: string[]
  roleOverride?: Role
  active: boolean
  createdAt: string
  updatedAt: string
  version: number
}

const toUser = (u: UserItem): User => ({
  id: u.id,
  name: u.name,
  avatar: u.avatar,
  mobile: u.mobile,
  title: u.title,
  deptIds: u.deptIds,
  leaderDeptIds: u.leaderDeptIds,
  role: u.role,
  roleOverride: u.roleOverride ?? null,
  active: u.active,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
  version: u.version,
})

/** An admin sets a user's role; it holds from their next login on (tokens carry the role). */
export async function setRole(session: Session, userId: string, role: Role): Promise<User> {
  const { Item } = await UserEntity.build(GetItemCommand)
    .key({ tenantId: session.tenantId, id: userId })
    .options({ consistent: true })
    .send()
  if (!Item) throw notFound('user')
  const next = { ...Item, role, roleOverride: role, updatedAt: nowIso(), version: Item.version + 1 }
  await commit(
    [
      {
        action: UserEntity.build(PutTransaction)
          .item(next)
          .options({ condition: { attr: 'version', eq: Item.version } }),
        onConditionFail: () => new AppError(409, 'version.conflict', '用户信息已变化，请重试'),
      },
    ],
    next,
  )
  return toUser(next)
}

/**
 * 组织同步: pulls the whole directory from DingTalk (departments breadth first, then each department's
 * members) so the people pickers list everyone before they first log in. Existing users keep their
 * record (their own login refreshes it); departments are rewritten.
 */
export async function syncDirectory(tenantId: string): Promise<{ depts: number; users: number }> {
  const known = new Map<number, { name: string; parentId?: number }>()
  const root = await dingtalk().getDepartment(1)
  known.set(1, { name: root.name })
  const paths = new Map<number, number[]>([[1, [1]]])
  for (const id of await subtree(1, known)) paths.set(id, [...paths.get(known.get(id)!.parentId!)!, id])

  const people = new Map<
    string,
    { detail: Awaited<ReturnType<DingTalkLister>>[number]; leaderDeptIds: string[] }
  >()
  for (const deptId of paths.keys()) {
    for (const u of await dingtalk().listDeptUsers(deptId)) {
      const entry = people.get(u.userid) ?? { detail: u, leaderDeptIds: [] }
      if (u.leader) entry.leaderDeptIds.push(String(deptId))
      people.set(u.userid, entry)
    }
  }

  const at = nowIso()
  const deptWrites: Write[] = [...paths.entries()].map(([id, path]) => ({
    action: DeptEntity.build(PutTransaction).item({
      tenantId,
      id: String(id),
      name: known.get(id)!.name,
      parentId: known.get(id)!.parentId?.toString(),
      path: path.map(String),
      updatedAt: at,
      gsi1pk: tenantKey(tenantId, TAG.dept),
      gsi1sk: path.join('/'),
    }),
  }))
  const userWrites: Write[] = [...people.values()].map(({ detail, leaderDeptIds }) => ({
    action: UserEntity.build(PutTransaction)
      .item({
        tenantId,
        id: detail.userid,
        name: detail.name,
        avatar: detail.avatar,
        mobile: detail.mobile,
        title: detail.title,
        deptIds: detail.dept_id_list.map(String),
        leaderDeptIds,
        role: deriveRole({ admin: detail.admin, boss: detail.boss, leaderDeptIds }),
        active: detail.active,
        createdAt: at,
        updatedAt: at,
        version: 1,
        gsi1pk: tenantKey(tenantId, TAG.user),
        gsi1sk: detail.name,
      })
      .options({ condition: { attr: 'id', exists: false } }),
  }))
  // One transaction per chunk: a user who already exists is skipped, not overwritten.
  for (let i = 0; i < deptWrites.length; i += 100) await commit(deptWrites.slice(i, i + 100))
  await commit([tenantRegistryWrite(tenantId)])
  for (const write of userWrites) await commit([write]).catch((error) => ignoreExisting(error))
  return { depts: deptWrites.length, users: userWrites.length }
}

type DingTalkLister = ReturnType<typeof dingtalk>['listDeptUsers']

function ignoreExisting(error: unknown): void {
  if (error && (error as { name?: string }).name === 'TransactionCanceledException') return
  throw error
}

// ------------------------------------------------- the stored directory, for jobs that act for people

export interface DirectoryUser {
  id: string
  name: string
  role: Session['role']
  deptIds: string[]
  leaderDeptIds: string[]
  active: boolean
}
export interface DirectoryDept {
  id: string
  name: string
  path: string[]
}

/** Every item of a directory list (gsi1 `T#t#USR` / `T#t#DPT`): one Query a page. */
export const listDirectory = <T>(
  entity: typeof UserEntity | typeof DeptEntity,
  tag: string,
  tenantId: string,
) => queryAll<T>(entity, { index: 'gsi1', partition: tenantKey(tenantId, tag) })

/** The session a person's login would give: a manager sees the departments they lead and below. */
export function sessionOf(tenantId: string, user: DirectoryUser, depts: DirectoryDept[]): Session {
  return {
    tenantId,
    userId: user.id,
    name: user.name,
    role: user.role,
    deptIds: user.deptIds,
    scopeDeptIds:
      user.role === 'manager'
        ? depts.filter((d) => d.path.some((id) => user.leaderDeptIds.includes(id))).map((d) => d.id)
        : [],
  }
}
