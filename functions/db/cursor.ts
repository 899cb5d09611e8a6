import { AppError } from '../core/errors.js'

/**
 * Keyset cursors: the LastEvaluatedKey, base64url JSON. A cursor can only point inside the caller's
 * tenant: every key value must start with the tenant prefix, or it is rejected.
 */
export const encodeCursor = (key: Record<string, unknown> | undefined): string | null =>
  key ? Buffer.from(JSON.stringify(key)).toString('base64url') : null

export function decodeCursor(
  cursor: string | undefined,
  tenantId: string,
): Record<string, string> | undefined {
  if (!cursor) return undefined
  const invalid = new AppError(400, 'validation.failed', 'cursor 无效，请从第一页重新加载')
  let key: unknown
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  } catch {
    throw invalid
  }
  if (!key || typeof key !== 'object') throw invalid
  const prefix = `T#${tenantId}#`
  for (const [name, value] of Object.entries(key)) {
    if (typeof value !== 'string' || (/pk$/.test(name) && !value.startsWith(prefix))) throw invalid
  }
  return key as Record<string, string>
}
