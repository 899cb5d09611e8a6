import { createHmac, timingSafeEqual } from 'node:crypto'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import { config } from '../core/config.js'
import { AppError } from '../core/errors.js'
import { isObjectKey, type ObjectStore } from './store.js'

/**
 * The local object store: files under `<DATA_DIR>/objects/<key>`, uploaded and read through the local
 * server's `/storage` routes with the same signed-form flow as OSS. The signature is an HMAC under the
 * session secret over everything the form or URL fixes.
 */
const sign = (...parts: string[]) =>
  createHmac('sha256', config.jwtSecret())
    .update(['storage', ...parts].join('\n'))
    .digest('base64url')

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

export const objectPath = (dataDir: string, key: string) => path.join(dataDir, 'objects', ...key.split('/'))

export function diskStore(baseUrl: string, dataDir: string): ObjectStore {
  return {
    uploadForm(key, { contentType, size }, expiresAt) {
      const expires = String(Math.floor(expiresAt.getTime() / 1000))
      const fields = { key, 'Content-Type': contentType, size: String(size), expires }
      return {
        url: `${baseUrl}/upload`,
        fields: { ...fields, signature: sign('upload', key, contentType, fields.size, expires) },
        expiresAt: expiresAt.toISOString(),
      }
    },
    downloadUrl(key, { fileName, contentType }, expiresAt) {
      const expires = String(Math.floor(expiresAt.getTime() / 1000))
      const query = new URLSearchParams({ key, name: fileName, type: contentType, expires })
      query.set('signature', sign('download', key, fileName, contentType, expires))
      return `${baseUrl}/object?${query}`
    },
    async stat(key) {
      const found = await stat(objectPath(dataDir, key)).catch(() => undefined)
      return found?.isFile() ? { size: found.size } : undefined
    },
  }
}

const refused = (message: string) => new AppError(403, 'storage.signature_invalid', message)

/** Checks a signed upload form's fields (local server): what may be written where, or 403. */
export function verifyUpload(fields: Record<string, string>, nowSeconds: number) {
  const { key = '', 'Content-Type': contentType = '', size = '', expires = '', signature = '' } = fields
  if (!same(signature, sign('upload', key, contentType, size, expires))) throw refused('上传签名无效')
  if (Number(expires) < nowSeconds) throw refused('上传地址已过期，请重新上传')
  if (!isObjectKey(key)) throw refused('上传路径无效')
  return { key, contentType, maxSize: Number(size) }
}

/** Checks a signed download URL's query (local server): what to send, or 403. */
export function verifyDownload(query: URLSearchParams, nowSeconds: number) {
  const [key, name, type, expires] = ['key', 'name', 'type', 'expires'].map((n) => query.get(n) ?? '')
  if (!same(query.get('signature') ?? '', sign('download', key, name, type, expires)))
    throw refused('下载签名无效')
  if (Number(expires) < nowSeconds) throw refused('下载地址已过期，请刷新后重试')
  if (!isObjectKey(key)) throw refused('下载路径无效')
  return { key, fileName: name, contentType: type }
}
