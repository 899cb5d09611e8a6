/** Configuration is read when used, never at import, so tests and the local stack can set it first. */
export const config = {
  tableName: () => process.env.TABLE_NAME ?? 'crm',
  jwtSecret: () => {
    const secret = process.env.JWT_SECRET
    if (!secret || secret.length < 32) throw new Error('JWT_SECRET must be set (32+ characters)')
    return secret
  },
  /** minutes a session token lives */
  sessionMinutes: () => Number(process.env.SESSION_MINUTES ?? 120),
  /** seconds a warm instance trusts its copy of a user's role and departments (at most 60) */
  directoryCacheSeconds: () => Math.min(60, Number(process.env.DIRECTORY_CACHE_SECONDS ?? 10)),
  /** the DingTalk corp this deployment serves; empty = any (local emulator) */
  corpId: () => process.env.DINGTALK_CORP_ID ?? '',
  /**
   * the browser origins (H5 app) allowed to call the API, exact and comma-separated; none when unset.
   * Local mode sets the local server's own.
   */
  allowedOrigins: () =>
    (process.env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  /** local mode adds Server-Timing and the dev helpers */
  localMode: () => process.env.CRM_LOCAL === '1',
  maxBodyBytes: () => Number(process.env.MAX_BODY_BYTES ?? 1024 * 1024),
  logLevel: () => process.env.LOG_LEVEL ?? 'info',
}
