import type { AllFields } from '../../shared/schemas/fields.js'
import { tenantCopies } from './tenant-copies.js'

/**
 * The field definitions (字段管理) a warm instance holds, per tenant (`tenantCopies`: the tenant item's
 * `fieldsVersion`, bumped by every save, drops an older copy at the session check). The index writes of
 * custom values read the copy synchronously.
 */
const fields = tenantCopies<AllFields>()

/** The tenant's definitions version, as the tenant item said at the last session check. */
export const noteFieldsVersion = (tenantId: string, version: number): void => fields.note(tenantId, version)

/** A copy still good: of the version the tenant item last said, or (no session check) a young one. */
export const freshFields = (tenantId: string): AllFields | undefined => fields.fresh(tenantId)

/** Whatever copy the instance has (for writes that derive index entries from it; undefined: none read). */
export const cachedFields = (tenantId: string): AllFields | undefined => fields.any(tenantId)

export const keepFields = (tenantId: string, all: AllFields): void =>
  fields.keep(tenantId, '', all, all.version)
