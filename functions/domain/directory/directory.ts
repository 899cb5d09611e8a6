import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import type { Dept, Me, Role, User } from '../../../shared/schemas/index.js'
import { nowIso } from '../../core/clock.js'
import { config } from '../../core/config.js'
import type { Session } from '../../core/context.js'
import { AppError, notFound } from '../../core/errors.js'
import { commit, type Write } from '../../db/commit.js'
import { decodeCursor } from '../../db/cursor.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { readPage } from '../../db/pages.js'
import { table } from '../../db/table.js'
import { dingtalk, type DingTalkUser } from '../../dingtalk/client.js'
import { isDingTalkError, isInvalidAuthCode } from '../../dingtalk/errors.js'
import { signLoginState, signSession, verifyLoginState } from '../../core/session.js'
import { all } from '../../db/filter.js'
import { retryOnConflict } from '../../db/retry.js'
import { departed, forgetDirectory, listDirectory } from './sessions.js'
import { tenantRegistryWrite } from './tenants.js'

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
 * 免登 (inside DingTalk): exchanges the JSAPI auth code for a session.
 */
export async function login({ authCode, corpId }: { authCode: string; corpId: string }) {
  const tenantId = ownCorp()
  if (corpId !== tenantId) throw new AppError(401, 'auth.invalid', '企业 corpId 与应用不匹配')

  let userId: string
  try {
    userId = (await dingtalk().getUserInfoByCode(authCode)).userid
  } catch (error) {
    if (isInvalidAuthCode(error))
      throw new AppError(401, 'auth.invalid', '授权码无效或已使用，请重新进入应用')
    throw error
  }
  return loginUser(tenantId, userId)
}

// The app's credentials belong to one corp; the tenant is that corp, never what a client claims.
const ownCorp = () => {
  const tenantId = config.corpId()
  if (!tenantId) throw new Error('DINGTALK_CORP_ID must be set')
  return tenantId
}

/**
 * 扫码登录, first half: DingTalk's OAuth2 page for the browser, and the signed state it returns with. The
 * page DingTalk returns to must be one of the app's own origins, so no other site receives the code.
 */
export async function scanLoginStart(redirect: string) {
  if (!config.allowedOrigins().includes(new URL(redirect).origin)) {
    throw new AppError(
      400,
      'auth.redirect_forbidden',
      `不能登录后跳转到 ${new URL(redirect).origin}（不在 ALLOWED_ORIGINS 中）`,
    )
  }
  const state = await signLoginState(redirect)
  return { url: dingtalk().oauthPageUrl(redirect, state), state }
}

/**
 * 扫码登录, second half: the code DingTalk redirected back with → the person (their unionId) → their
 * userid in the company (refused when they are not in it) → the same session as the in-app login.
 */
export async function loginByScan({ authCode, state }: { authCode: string; state: string }) {
  await verifyLoginState(state)
  const tenantId = ownCorp()
  let userToken: string
  try {
    userToken = await dingtalk().userAccessToken(authCode)
  } catch (error) {
    if (isDingTalkError(error) && error.kind === 'api')
      throw new AppError(401, 'auth.invalid', '授权码无效或已使用，请重新扫码')
    throw error
  }
  const { unionId } = await dingtalk().contactMe(userToken)
  let userId: string
  try {
    userId = await dingtalk().userIdByUnionId(unionId)
  } catch (error) {
    if (isDingTalkError(error) && error.errcode === NOT_IN_COMPANY) {
      throw new AppError(
        403,
        'auth.not_member',
        '你不是本企业的成员（钉钉通讯录中没有你），无法登录；请联系管理员',
      )
    }
    throw error
  }
  return loginUser(tenantId, userId)
}

/** DingTalk's answer for a person who is not (or no longer) in the company */
const NOT_IN_COMPANY = 60121

/**
 * A login, whichever way the person proved who they are: syncs the user and the departments the scope
 * needs (theirs with ancestors, and the subtrees they lead) in one transaction, then signs the session.
 */
async function loginUser(tenantId: string, userId: string) {
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

  const deptIds = detail.dept_id_list.map(String)
  const leaderDeptIds = led.map(String)
  const deptWrites: Write[] = [...paths.entries()].slice(0, 90).map(([id, path]) => ({
    action: DeptEntity.build(PutTransaction).item(deptItem(tenantId, id, known.get(id)!, path, nowIso())),
  }))
  const user = await upsertUser(tenantId, { ...detail, deptIds, leaderDeptIds }, deptWrites)
  if (!user.active) throw departed()
  const role = user.role

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

const deptItem = (
  tenantId: string,
  id: number,
  dept: { name: string; parentId?: number },
  path: number[],
  at: string,
) => ({
  tenantId,
  id: String(id),
  name: dept.name,
  parentId: dept.parentId?.toString(),
  path: path.map(String),
  updatedAt: at,
  gsi1pk: tenantKey(tenantId, TAG.dept),
  gsi1sk: path.join('/'),
})

/** What a user may do hangs on these: a change in them moves the tenant's directory version. */
const accessOf = (u: { role: Role; deptIds: string[]; leaderDeptIds: string[]; active: boolean }) =>
  JSON.stringify([u.role, u.deptIds, u.leaderDeptIds, u.active])

/**
 * Writes a user as DingTalk has them now (keeping an admin's role choice), with `extra` writes in the
 * same transaction. A concurrent write of the same user (a directory sync, another login) makes it read
 * and try again, so a login never fails because someone else wrote first.
 */
async function upsertUser(tenantId: string, detail: Person, extra: Write[] = []) {
  // as many tries as a burst of logins of one person could need, each reading afresh
  return retryOnConflict(async () => {
    const { Item: existing } = await UserEntity.build(GetItemCommand)
      .key({ tenantId, id: detail.userid })
      .options({ consistent: true })
      .send()
    const at = nowIso()
    const roleOverride = existing?.roleOverride
    const role =
      roleOverride ??
      deriveRole({ admin: detail.admin, boss: detail.boss, leaderDeptIds: detail.leaderDeptIds })
    const user = {
      tenantId,
      id: detail.userid,
      name: detail.name,
      avatar: detail.avatar,
      mobile: detail.mobile,
      title: detail.title,
      unionId: detail.unionid ?? existing?.unionId,
      deptIds: detail.deptIds,
      leaderDeptIds: detail.leaderDeptIds,
      role,
      roleOverride,
      active: detail.active,
      createdAt: existing?.createdAt ?? at,
      updatedAt: at,
      version: (existing?.version ?? 0) + 1,
      gsi1pk: tenantKey(tenantId, TAG.user),
      gsi1sk: detail.name,
    }
    const directoryChanged = !existing || accessOf(existing) !== accessOf(user)
    await commit([
      {
        action: UserEntity.build(PutTransaction)
          .item(user)
          .options({
            condition: existing ? { attr: 'version', eq: existing.version } : { attr: 'id', exists: false },
          }),
        onConditionFail: () => new AppError(409, 'version.conflict', '用户信息已变化，请重试'),
      },
      ...extra,
      // the tenant joins the scheduler's registry (idempotent: an update of its registry keys)
      tenantRegistryWrite(tenantId, { directoryChanged }),
    ])
    if (directoryChanged) forgetDirectory(tenantId)
    return user
  }, 10)
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
    items: (items as ReturnType<typeof deptItem>[]).map((d): Dept => ({
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
  unionId?: string
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

/** An admin sets a user's role; it holds from the user's next request on (sessions.ts). */
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
      tenantRegistryWrite(session.tenantId, { directoryChanged: true }),
    ],
    next,
  )
  forgetDirectory(session.tenantId)
  return toUser(next)
}

/**
 * 组织同步: pulls the whole directory from DingTalk (departments breadth first, then each department's
 * members) so the people pickers list everyone before they first log in, and so a change made in
 * DingTalk (a new leader, a move, someone leaving) holds before the person logs in again. Runs at the
 * demo seed and daily; a user who changed is rewritten (an admin's role choice kept), one who is no
 * longer in the organisation is marked inactive, and nothing is written for the others.
 */
export async function syncDirectory(
  tenantId: string,
): Promise<{ depts: number; users: number; left: number }> {
  const known = new Map<number, { name: string; parentId?: number }>()
  const root = await dingtalk().getDepartment(1)
  known.set(1, { name: root.name })
  const paths = new Map<number, number[]>([[1, [1]]])
  for (const id of await subtree(1, known)) paths.set(id, [...paths.get(known.get(id)!.parentId!)!, id])

  const people = new Map<string, Person>()
  for (const deptId of paths.keys()) {
    for (const u of await dingtalk().listDeptUsers(deptId)) {
      const person: Person = people.get(u.userid) ?? {
        ...u,
        deptIds: u.dept_id_list.map(String),
        leaderDeptIds: [],
      }
      if (u.leader) person.leaderDeptIds.push(String(deptId))
      people.set(u.userid, person)
    }
  }

  const at = nowIso()
  const deptWrites: Write[] = [...paths.entries()].map(([id, path]) => ({
    action: DeptEntity.build(PutTransaction).item(deptItem(tenantId, id, known.get(id)!, path, at)),
  }))
  for (let i = 0; i < deptWrites.length; i += 99) {
    await commit([...deptWrites.slice(i, i + 99), tenantRegistryWrite(tenantId, { directoryChanged: true })])
  }
  const stored = new Map(
    (await listDirectory<UserItem>(UserEntity, TAG.user, tenantId)).map((u) => [u.id, u]),
  )
  let users = 0
  for (const person of people.values()) {
    const current = stored.get(person.userid)
    if (current && sameUser(current, person)) continue
    await upsertUser(tenantId, person)
    users += 1
  }
  let left = 0
  for (const user of stored.values()) {
    if (people.has(user.id) || !user.active) continue
    await upsertUser(tenantId, { ...personOf(user), active: false })
    left += 1
  }
  return { depts: deptWrites.length, users, left }
}

/** A DingTalk user with the departments they are in and lead, as the directory stores them. */
type Person = Pick<DingTalkUser, 'userid' | 'unionid' | 'name' | 'avatar' | 'admin' | 'boss' | 'active'> & {
  mobile?: string
  title?: string
  deptIds: string[]
  leaderDeptIds: string[]
}

const personOf = (u: UserItem): Person => ({
  userid: u.id,
  unionid: u.unionId,
  name: u.name,
  avatar: u.avatar,
  mobile: u.mobile,
  title: u.title,
  admin: u.role === 'admin',
  boss: false,
  active: u.active,
  deptIds: u.deptIds,
  leaderDeptIds: u.leaderDeptIds,
})

const sameUser = (u: UserItem, p: Person) =>
  u.active === p.active &&
  u.role === (u.roleOverride ?? deriveRole(p)) &&
  JSON.stringify([u.name, u.avatar, u.mobile, u.title, u.unionId, u.deptIds, u.leaderDeptIds]) ===
    JSON.stringify([p.name, p.avatar, p.mobile, p.title, p.unionid, p.deptIds, p.leaderDeptIds])
