import type { AllFields } from '../../shared/schemas/fields.js'
import { now } from './clock.js'
import { config } from './config.js'

/**
 * The field definitions (字段管理) a warm instance holds, per tenant, and the version it last saw of them.
 * The session check (domain/directory/sessions.ts) reads the tenant item anyway, and that item carries
 * `fieldsVersion`, bumped by every save: a copy of an older version is dropped there, at no extra read.
 * Within the directory window another instance's save shows on the next check (≤ DIRECTORY_CACHE_SECONDS);
 * this instance's own saves at once. The index writes of custom values read the copy synchronously.
 */
interface Copy {
  fields: AllFields
  readAt: number
}

// keyed by table too: test files share a process (and tenants) but not a table
const copies = new Map<string, Copy>()
const seen = new Map<string, number>()
const keyOf = (tenantId: string) => `${config.tableName()}|${tenantId}`

/** The tenant's definitions version, as the tenant item said at the last session check. */
export const noteFieldsVersion = (tenantId: string, version: number): void =>
  void seen.set(keyOf(tenantId), version)

/** A copy still good: of the version the tenant item last said, or (no session check) a young one. */
export function freshFields(tenantId: string): AllFields | undefined {
  const copy = copies.get(keyOf(tenantId))
  if (!copy) return undefined
  const version = seen.get(keyOf(tenantId))
  if (version !== undefined) return copy.fields.version === version ? copy.fields : undefined
  return now() - copy.readAt < config.directoryCacheSeconds() * 1000 ? copy.fields : undefined
}

/** Whatever copy the instance has (for writes that derive index entries from it; undefined: none read). */
export const cachedFields = (tenantId: string): AllFields | undefined => copies.get(keyOf(tenantId))?.fields

export function keepFields(tenantId: string, fields: AllFields): void {
  copies.set(keyOf(tenantId), { fields, readAt: now() })
  seen.set(keyOf(tenantId), fields.version)
}
