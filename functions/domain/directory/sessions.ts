import { BatchGetRequest } from 'dynamodb-toolbox/entity/actions/batchGet'
import { BatchGetCommand, execute as executeBatchGet } from 'dynamodb-toolbox/table/actions/batchGet'
import { now } from '../../core/clock.js'
import { config } from '../../core/config.js'
import { noteFieldsVersion } from '../../core/field-cache.js'
import { noteSettingsVersion } from '../../core/settings-cache.js'
import { currentRequest, newRequestState, runWithRequest, type Session } from '../../core/context.js'
import { AppError } from '../../core/errors.js'
import { DeptEntity, UserEntity } from '../../db/entities/directory.js'
import { tenantKey, TAG } from '../../db/entities/record.js'
import { TenantEntity } from '../../db/entities/scheduler.js'
import { table } from '../../db/table.js'
import { queryAll } from '../../db/pages.js'

/**
 * Sessions follow the directory: a token says who is calling, the stored directory says what they may do
 * now. A warm instance keeps each tenant's answer for `directoryCacheSeconds` (no DynamoDB call within
 * that window); then one BatchGet reads the tenant's directory version with the user, and a moved
 * version drops everything it had of the tenant. A write in this instance forgets the tenant at once.
 */
interface TenantCopy {
  version: number
  checkedAt: number
  depts?: DirectoryDept[]
  /** the current session of each user asked about; null: not in the directory or no longer active */
  users: Map<string, Session | null>
}

// keyed by table too: test files share a process (and the demo tenant) but not a table
const copies = new Map<string, TenantCopy>()
const copyKey = (tenantId: string) => `${config.tableName()}|${tenantId}`

/** Forgets what this instance knows of a tenant's directory (after it wrote a change itself). */
export const forgetDirectory = (tenantId: string): void => void copies.delete(copyKey(tenantId))

/** Someone the directory no longer holds as active: their token opens nothing, their login neither. */
export const departed = () => new AppError(401, 'auth.inactive', '账号已停用或不在本企业，请联系管理员')

/** The caller's session as the directory has it now: role, departments and scope; 401 once they left. */
export async function currentSession(claims: Session): Promise<Session> {
  const { tenantId, userId } = claims
  let copy = copies.get(copyKey(tenantId))
  const fresh = copy && now() - copy.checkedAt < config.directoryCacheSeconds() * 1000
  if (!copy || !fresh || !copy.users.has(userId)) {
    copy = await apart(() => reread(tenantId, userId, copy))
    copies.set(copyKey(tenantId), copy)
  }
  const session = copy.users.get(userId)
  if (!session) throw departed()
  return session
}

/** The tenant's directory version and the user, one BatchGet; what a moved version makes stale goes. */
async function reread(tenantId: string, userId: string, copy: TenantCopy | undefined): Promise<TenantCopy> {
  const command = table
    .build(BatchGetCommand)
    .requests(
      TenantEntity.build(BatchGetRequest).key({ tenantId }),
      UserEntity.build(BatchGetRequest).key({ tenantId, id: userId }),
    )
    .options({ consistent: true })
  const { Responses } = await executeBatchGet(command)
  const [tenant, item] = Responses?.[0] ?? []
  const {
    directoryVersion: version = 0,
    fieldsVersion = 0,
    settingsVersion = 0,
  } = (tenant as
    { directoryVersion?: number; fieldsVersion?: number; settingsVersion?: number } | undefined) ?? {}
  // the field definitions' and settings' versions ride on the same item: warm copies of older ones go
  noteFieldsVersion(tenantId, fieldsVersion)
  noteSettingsVersion(tenantId, settingsVersion)
  const next: TenantCopy = copy?.version === version ? copy : { version, checkedAt: 0, users: new Map() }
  next.checkedAt = now()
  const user = item as DirectoryUser | undefined
  if (user?.role === 'manager') {
    // a manager's scope is the departments they lead and those below: the tree, once per version
    next.depts ??= await listDirectory<DirectoryDept>(DeptEntity, TAG.dept, tenantId)
  }
  next.users.set(userId, user?.active ? sessionOf(tenantId, user, next.depts ?? []) : null)
  return next
}

/**
 * Runs the check's reads in a request state of their own: Server-Timing reports them as `directory`
 * (the session's and the field definitions' reads, which a warm instance mostly skips).
 */
export async function apart<T>(read: () => Promise<T>): Promise<T> {
  const probe = newRequestState('directory')
  const result = await runWithRequest(probe, read)
  const outer = currentRequest()
  if (outer) {
    outer.directory.calls += probe.ddb.calls
    outer.directory.ms += probe.ddb.ms
  }
  return result
}

// ------------------------------------------------- the stored directory, for requests and for jobs that act for people

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
