import type { Activity } from '../../../shared/schemas/index.js'
import { directoryNames } from '../directory/names.js'

/** Fields whose values are people or departments: a change of one names them (names, not ids). */
const PEOPLE = new Set(['ownerId', 'assigneeId', 'prevOwnerId', 'collaboratorIds', 'createdBy'])
const DEPTS = new Set(['deptId'])

type Unnamed = Omit<Activity, 'actorName'> & { actorName?: string }

const idsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.map(String) : typeof value === 'string' && value ? [value] : []

/**
 * Activities as people read them: each names who did it (stored with it; entries older than that are
 * named from the directory) and, for a change of a person or department field, whom it was and is. One
 * BatchGetItem when some entry of the page needs a name, none otherwise.
 */
export async function withNames(tenantId: string, items: Unnamed[]): Promise<Activity[]> {
  const userIds = new Set<string>()
  const deptIds = new Set<string>()
  for (const a of items) {
    if (!a.actorName) userIds.add(a.actorId)
    for (const c of a.changes ?? []) {
      const into = PEOPLE.has(c.field) ? userIds : DEPTS.has(c.field) ? deptIds : undefined
      // names written with the change (the writer knew them) need no read
      for (const id of [...(c.fromName ? [] : idsOf(c.from)), ...(c.toName ? [] : idsOf(c.to))]) into?.add(id)
    }
  }
  const names =
    userIds.size || deptIds.size ? await directoryNames(tenantId, { userIds, deptIds }) : undefined
  const nameOf = (field: string, value: unknown) => {
    const map = PEOPLE.has(field) ? names?.users : DEPTS.has(field) ? names?.depts : undefined
    if (!map) return undefined
    const ids = idsOf(value)
    return ids.length ? ids.map((id) => map.get(id) ?? id).join('、') : undefined
  }
  return items.map((a) => ({
    ...a,
    actorName: a.actorName ?? names?.users.get(a.actorId) ?? a.actorId,
    changes: a.changes?.map((c) => ({
      ...c,
      ...(!c.fromName && nameOf(c.field, c.from) !== undefined && { fromName: nameOf(c.field, c.from) }),
      ...(!c.toName && nameOf(c.field, c.to) !== undefined && { toName: nameOf(c.field, c.to) }),
    })),
  }))
}
