import { config } from '../core/config.js'
import { diskStore } from './disk.js'
import { ossStore } from './oss.js'

/**
 * Object storage behind signed URLs (API.md "Attachments"): the client uploads the bytes straight to the
 * store with a form the server signed (POST multipart, the fields first and the file last as `file`,
 * which is what both `fetch(FormData)` and the mini-program's `dd.uploadFile` send), and reads them back
 * through a signed URL. The signature fixes the key, the content type, the largest size and the expiry,
 * so the API never streams the bytes. Production: Alibaba Cloud OSS; local mode: files under `DATA_DIR`,
 * served by the local server through the same flow.
 */
export interface UploadForm {
  url: string
  /** form fields to send before the file */
  fields: Record<string, string>
  expiresAt: string
}

export interface ObjectStore {
  /** a form that uploads at most `size` bytes of `contentType` to `key` until `expiresAt` */
  uploadForm(key: string, file: { contentType: string; size: number }, expiresAt: Date): UploadForm
  /** a URL that downloads `key` as `fileName` until `expiresAt` */
  downloadUrl(key: string, file: { fileName: string; contentType: string }, expiresAt: Date): string
  /** what was uploaded to `key`, if anything */
  stat(key: string): Promise<{ size: number } | undefined>
}

/** A key is the tenant, then path segments of safe characters; nothing can climb out of its folder. */
export const isObjectKey = (key: string) =>
  /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$/.test(key) && key.length <= 512

export const objectKey = (tenantId: string, ...parts: string[]) => {
  const key = [tenantId, ...parts].join('/')
  if (!isObjectKey(key)) throw new Error(`not an object key: ${key}`)
  return key
}

/** The store the configuration names (read on each use, as all configuration is). */
export const objectStore = (): ObjectStore => {
  const oss = config.oss()
  return oss ? ossStore(oss) : diskStore(config.storageUrl(), config.dataDir())
}
