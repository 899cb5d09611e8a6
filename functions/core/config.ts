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
  /**
   * the H5 app's address, for links a PC opens (a to-do's pcUrl): `H5_URL`, else the first allowed
   * origin (local mode: the local server); empty when neither is set
   */
  h5Url: () => (process.env.H5_URL || config.allowedOrigins()[0] || '').replace(/\/$/, ''),
  /** local mode adds Server-Timing and the dev helpers */
  localMode: () => process.env.CRM_LOCAL === '1',
  maxBodyBytes: () => Number(process.env.MAX_BODY_BYTES ?? 1024 * 1024),
  logLevel: () => process.env.LOG_LEVEL ?? 'info',
  /** local mode's files: DynamoDB Local's data and the object store (`objects/`) */
  dataDir: () => process.env.DATA_DIR ?? '.data',
  /** where the local object store is served (the local server's `/storage`) */
  storageUrl: () => process.env.STORAGE_URL ?? 'http://localhost:3000/storage',
  /**
   * Alibaba Cloud OSS for attachments, when `OSS_BUCKET` is set (production): the bucket, its endpoint
   * and the function role's credentials (Function Compute sets the ALIBABA_CLOUD_* variables)
   */
  oss: () =>
    process.env.OSS_BUCKET
      ? {
          bucket: process.env.OSS_BUCKET,
          endpoint: process.env.OSS_ENDPOINT ?? 'oss-cn-hangzhou.aliyuncs.com',
          accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID ?? '',
          accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '',
          securityToken: process.env.ALIBABA_CLOUD_SECURITY_TOKEN || undefined,
        }
      : undefined,
  /** the largest attachment, in bytes (413 beyond) */
  maxAttachmentBytes: () => Number(process.env.MAX_ATTACHMENT_BYTES ?? 20 * 1024 * 1024),
}
