import { now } from './clock.js'
import { config } from './config.js'

/**
 * The tenant settings a create reads every time (公海规则, 审批流程), held by a warm instance as the field
 * definitions are (field-cache.ts): the tenant item carries `settingsVersion`, bumped in the transaction
 * of every save, and the session check (domain/directory/sessions.ts) reads that item anyway, so a copy
 * read under an older version is dropped there at no extra read. Another instance's save shows on the
 * next check (≤ DIRECTORY_CACHE_SECONDS, as a directory change does); this instance's own saves at once.
 * A create thus reads nothing but what it writes over; settings pages and jobs still read the item.
 */
interface Copy {
  value: Promise<unknown>
  /** the tenant's settings version when it was read (undefined: no session check had said one) */
  version: number | undefined
  readAt: number
}

// keyed by table too: test files share a process (and tenants) but not a table
const copies = new Map<string, Copy>()
const seen = new Map<string, number>()
const tenantOf = (tenantId: string) => `${config.tableName()}|${tenantId}`

/** The tenant's settings version, as the tenant item said at the last session check. */
export const noteSettingsVersion = (tenantId: string, version: number): void =>
  void seen.set(tenantOf(tenantId), version)

/** Forgets the tenant's copies (after this instance saved one of its settings). */
export function forgetSettings(tenantId: string): void {
  const prefix = `${tenantOf(tenantId)}|`
  for (const key of copies.keys()) if (key.startsWith(prefix)) copies.delete(key)
}

/**
 * One of the tenant's settings: the copy when still good (read under the version the tenant item last
 * said, or, with no session check to say one, a young one), else `read` (kept; a failed read is not).
 */
export function heldSettings<T>(tenantId: string, name: string, read: () => Promise<T>): Promise<T> {
  const key = `${tenantOf(tenantId)}|${name}`
  const version = seen.get(tenantOf(tenantId))
  const copy = copies.get(key)
  // a copy read with no version known (a seed, a job) is young or gone; once a check says one, it must match
  const good =
    copy &&
    (version !== undefined
      ? copy.version === version
      : now() - copy.readAt < config.directoryCacheSeconds() * 1000)
  if (good) return copy.value as Promise<T>
  const value = read()
  copies.set(key, { value, version, readAt: now() })
  value.catch(() => {
    if (copies.get(key)?.value === value) copies.delete(key)
  })
  return value
}
