import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { currentRequest, type Session } from '../../core/context.js'
import { AppError, forbidden, notFound } from '../../core/errors.js'
import { UserEntity } from '../../db/entities/directory.js'

/**
 * Data scope (API.md "Roles and data scope"): a member sees what they own or assist on, and the pool;
 * a manager also what is owned inside the departments they lead (with sub-departments, already expanded
 * into `session.scopeDeptIds` at login); an admin sees everything. Outside the scope a record does not
 * exist (404); inside it, an action the role may not take is 403.
 */
export interface Scoped {
  ownerId?: string
  collaboratorIds?: string[]
  deptId?: string
}

export const inPool = (record: Scoped): boolean => !record.ownerId

const managesDept = (session: Session, deptId: string | undefined) =>
  session.role === 'manager' && deptId !== undefined && session.scopeDeptIds.includes(deptId)

/** May the caller see the record at all? */
export function canSee(session: Session, record: Scoped): boolean {
  if (session.role === 'admin' || inPool(record)) return true
  if (record.ownerId === session.userId) return true
  if (record.collaboratorIds?.includes(session.userId)) return true
  return managesDept(session, record.deptId)
}

/** May the caller act as a manager on it (reassign, edit the pool)? Admins always; managers in scope. */
export function canManage(session: Session, record: Scoped): boolean {
  if (session.role === 'admin') return true
  if (session.role !== 'manager') return false
  return inPool(record) || record.ownerId === session.userId || managesDept(session, record.deptId)
}

/** May the caller change it (edit, release, delete)? Its owner, or whoever manages it. */
export const canChange = (session: Session, record: Scoped): boolean =>
  (!!record.ownerId && record.ownerId === session.userId) || canManage(session, record)

/** May the caller work on it (follow up, add contacts)? Its owner, its collaborators, its managers. */
export const canWork = (session: Session, record: Scoped): boolean =>
  canChange(session, record) || (!!record.collaboratorIds?.includes(session.userId) && !inPool(record))

/** The record if the caller may see it; otherwise it "does not exist". */
export function visibleOr404<R extends Scoped>(session: Session, record: R | undefined, thing: string): R {
  if (!record || !canSee(session, record)) throw notFound(thing)
  return record
}

export function allow(condition: boolean, message?: string): void {
  if (!condition) throw forbidden(message)
}

/** A user who is to own records: their id and primary department (the first of `deptIds`). */
export interface Owner {
  id: string
  deptId?: string
}

/**
 * The owner-to-be and their primary department: the caller from the session (no read), anyone else from
 * the directory, with their name for what people read (动态, cards: names, never ids). A manager may only
 * give records to people inside their departments. Read once per request: a bulk 经理调整 of 200 records
 * gives them all to the same person (`RequestState.owners`).
 */
export function resolveOwner(session: Session, userId: string): Promise<Owner & { name: string }> {
  if (userId === session.userId)
    return Promise.resolve({ id: userId, name: session.name, deptId: session.deptIds[0] })
  const request = currentRequest()
  if (!request) return readOwner(session, userId)
  const owners = (request.owners ??= new Map())
  const key = `${session.tenantId}#${session.userId}#${userId}`
  let owner = owners.get(key)
  if (!owner) owners.set(key, (owner = readOwner(session, userId)))
  return owner
}

async function readOwner(session: Session, userId: string): Promise<Owner & { name: string }> {
  const { Item } = await UserEntity.build(GetItemCommand)
    .key({ tenantId: session.tenantId, id: userId })
    .send()
  if (!Item || !Item.active) throw new AppError(422, 'owner.invalid', '负责人不存在或已离职')
  if (session.role === 'manager' && !Item.deptIds.some((d) => session.scopeDeptIds.includes(d))) {
    throw forbidden('只能分配给本部门（含下级部门）的成员')
  }
  return { id: Item.id, name: Item.name, deptId: Item.deptIds[0] }
}
