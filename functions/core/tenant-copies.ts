import { now } from './clock.js'
import { config } from './config.js'

/**
 * What a warm instance holds of a tenant's stored settings (field definitions, 公海规则, 审批流程), each
 * under the version of them the tenant item said when it was read. The session check
 * (domain/directory/sessions.ts) reads the tenant item anyway and notes its versions here, so a copy of
 * an older version is dropped there at no extra read: another instance's save shows on the next check
 * (≤ DIRECTORY_CACHE_SECONDS, as a directory change does), this instance's own at once. A copy read
 * with no version known (a seed, a job: no session check) is good while young.
 */
export function tenantCopies<T>() {
  // keyed by table too: test files share a process (and tenants) but not a table
  const copies = new Map<string, { value: T; version: number | undefined; readAt: number }>()
  const seen = new Map<string, number>()
  const tenantOf = (tenantId: string) => `${config.tableName()}|${tenantId}`
  const keyOf = (tenantId: string, name: string) => `${tenantOf(tenantId)}|${name}`
  return {
    /** The tenant's version, as the tenant item said at the last session check. */
    note(tenantId: string, version: number): void {
      seen.set(tenantOf(tenantId), version)
    },
    /** The copy when still good: read under the version last noted, or, with none noted, young. */
    fresh(tenantId: string, name = ''): T | undefined {
      const copy = copies.get(keyOf(tenantId, name))
      if (!copy) return undefined
      const version = seen.get(tenantOf(tenantId))
      const good =
        version !== undefined
          ? copy.version === version
          : now() - copy.readAt < config.directoryCacheSeconds() * 1000
      return good ? copy.value : undefined
    },
    /** Whatever copy the instance has, good or not (undefined: none read). */
    any: (tenantId: string, name = ''): T | undefined => copies.get(keyOf(tenantId, name))?.value,
    /** Keeps a copy read under `version` (default: the version last noted), which is noted too. */
    keep(tenantId: string, name: string, value: T, version = seen.get(tenantOf(tenantId))): void {
      copies.set(keyOf(tenantId, name), { value, version, readAt: now() })
      if (version !== undefined) seen.set(tenantOf(tenantId), version)
    },
    /** Drops the copy named, if it is still `value` (a failed read is not kept). */
    drop(tenantId: string, name: string, value: T): void {
      if (copies.get(keyOf(tenantId, name))?.value === value) copies.delete(keyOf(tenantId, name))
    },
    /** Drops every copy of the tenant's (after this instance saved one of them). */
    forget(tenantId: string): void {
      const prefix = `${tenantOf(tenantId)}|`
      for (const key of copies.keys()) if (key.startsWith(prefix)) copies.delete(key)
    },
  }
}
