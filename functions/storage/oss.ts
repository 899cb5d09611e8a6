import { createHmac } from 'node:crypto'
import type { ObjectStore } from './store.js'

/**
 * Alibaba Cloud OSS with V1 signatures: a PostObject form whose policy fixes the key, the content type
 * and the size range, a query-signed GET URL, and a signed HEAD. Credentials are the function role's
 * (Function Compute passes an STS token, which the signatures then carry). Written out rather than
 * taking the `ali-oss` SDK: three documented signatures, where the SDK would add ~1 MB to the bundle.
 */
export interface OssConfig {
  bucket: string
  /** `oss-cn-hangzhou.aliyuncs.com` */
  endpoint: string
  accessKeyId: string
  accessKeySecret: string
  securityToken?: string
}

const hmac = (secret: string, text: string) =>
  createHmac('sha1', secret).update(text, 'utf8').digest('base64')
const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/')

export function ossStore(oss: OssConfig): ObjectStore {
  const host = `https://${oss.bucket}.${oss.endpoint}`
  const token = oss.securityToken
  return {
    uploadForm(key, { contentType, size }, expiresAt) {
      const policy = Buffer.from(
        JSON.stringify({
          expiration: expiresAt.toISOString(),
          conditions: [
            { bucket: oss.bucket },
            ['eq', '$key', key],
            ['eq', '$Content-Type', contentType],
            ['content-length-range', 1, size],
            ...(token ? [{ 'x-oss-security-token': token }] : []),
          ],
        }),
      ).toString('base64')
      return {
        url: host,
        fields: {
          key,
          'Content-Type': contentType,
          policy,
          OSSAccessKeyId: oss.accessKeyId,
          Signature: hmac(oss.accessKeySecret, policy),
          success_action_status: '204',
          ...(token && { 'x-oss-security-token': token }),
        },
        expiresAt: expiresAt.toISOString(),
      }
    },
    downloadUrl(key, { fileName, contentType }, expiresAt) {
      const expires = String(Math.floor(expiresAt.getTime() / 1000))
      // sub-resources are signed sorted by name with their values as they are, sent URL-encoded
      const sub: [string, string][] = [
        ['response-content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`],
        ['response-content-type', contentType],
        ...(token ? [['security-token', token] as [string, string]] : []),
      ].sort(([a], [b]) => a.localeCompare(b)) as [string, string][]
      const resource = `/${oss.bucket}/${key}?${sub.map(([k, v]) => `${k}=${v}`).join('&')}`
      const signature = hmac(oss.accessKeySecret, `GET\n\n\n${expires}\n${resource}`)
      const query = new URLSearchParams([
        ['OSSAccessKeyId', oss.accessKeyId],
        ['Expires', expires],
        ['Signature', signature],
        ...sub,
      ])
      return `${host}/${encodeKey(key)}?${query}`
    },
    async stat(key) {
      const date = new Date().toUTCString()
      const ossHeaders = token ? `x-oss-security-token:${token}\n` : ''
      const signature = hmac(oss.accessKeySecret, `HEAD\n\n\n${date}\n${ossHeaders}/${oss.bucket}/${key}`)
      const response = await fetch(`${host}/${encodeKey(key)}`, {
        method: 'HEAD',
        headers: {
          date,
          authorization: `OSS ${oss.accessKeyId}:${signature}`,
          ...(token && { 'x-oss-security-token': token }),
        },
      })
      if (response.status === 404) return undefined
      if (!response.ok) throw new Error(`OSS HEAD ${key} → ${response.status}`)
      return { size: Number(response.headers.get('content-length') ?? 0) }
    },
  }
}
