import { tenantCopies } from './tenant-copies.js'

/**
 * The tenant settings a create reads every time (公海规则, 审批流程), held by a warm instance as the field
 * definitions are (`tenantCopies`: the tenant item's `settingsVersion`, bumped in the transaction of every
 * save, drops an older copy at the session check). A create thus reads nothing but what it writes over;
 * settings pages and jobs still read the item.
 */
const settings = tenantCopies<Promise<unknown>>()

/** The tenant's settings version, as the tenant item said at the last session check. */
export const noteSettingsVersion = (tenantId: string, version: number): void =>
  settings.note(tenantId, version)

/** Forgets the tenant's copies (after this instance saved one of its settings). */
export const forgetSettings = (tenantId: string): void => settings.forget(tenantId)

/**
 * One of the tenant's settings: the copy when still good, else `read` (kept under the version last
 * noted; a failed read is not).
 */
export function heldSettings<T>(tenantId: string, name: string, read: () => Promise<T>): Promise<T> {
  const held = settings.fresh(tenantId, name)
  if (held) return held as Promise<T>
  const value = read()
  settings.keep(tenantId, name, value)
  value.catch(() => settings.drop(tenantId, name, value))
  return value
}
