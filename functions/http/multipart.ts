import type busboy from 'busboy'
import { AppError } from '../core/errors.js'
import type { ApiEvent } from './event.js'

/** A `multipart/form-data` body: its text fields and its one file. */
export interface MultipartForm {
  fields: Record<string, string>
  file?: { fieldName: string; fileName: string; mimeType: string; bytes: Buffer }
}

export const isMultipart = (contentType: string | undefined) =>
  /^multipart\/form-data\b/i.test(contentType ?? '')

const tooLarge = (maxBytes: number) => {
  const limit =
    maxBytes >= 1024 * 1024 ? `${Math.floor(maxBytes / 1024 / 1024)} MB` : `${Math.floor(maxBytes / 1024)} KB`
  return new AppError(413, 'request.too_large', `上传文件过大（上限 ${limit}）`)
}

/**
 * Parses an upload with busboy: one file (at most `maxBytes`, else 413), a few text fields. The whole
 * request already sits in the event (Function Compute and API Gateway deliver bodies whole).
 */
export async function parseMultipart(event: ApiEvent, maxBytes: number): Promise<MultipartForm> {
  const contentType = event.headers['content-type']
  if (!isMultipart(contentType)) {
    throw new AppError(415, 'request.unsupported_media_type', '请以 multipart/form-data 上传文件')
  }
  const raw = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8')
  if (raw.byteLength > maxBytes + 64 * 1024) throw tooLarge(maxBytes)
  // loaded on first upload: only the imports function takes uploads, and the others need not load it
  const { default: busboy } = await import('busboy')
  return new Promise((resolve, reject) => {
    const form: MultipartForm = { fields: {} }
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: { 'content-type': contentType },
        defParamCharset: 'utf8',
        limits: { files: 1, fields: 20, fieldSize: 64 * 1024, fileSize: maxBytes },
      })
    } catch {
      return reject(new AppError(400, 'validation.failed', 'multipart 请求格式不正确（缺少 boundary）'))
    }
    parser.on('file', (fieldName, stream, info) => {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('limit', () => reject(tooLarge(maxBytes)))
      stream.on('close', () => {
        form.file = {
          fieldName,
          fileName: info.filename ?? '',
          mimeType: info.mimeType,
          bytes: Buffer.concat(chunks),
        }
      })
    })
    parser.on('field', (name, value) => {
      form.fields[name] = value
    })
    parser.on('error', () => reject(new AppError(400, 'validation.failed', 'multipart 请求体无法解析')))
    parser.on('close', () => resolve(form))
    parser.end(raw)
  })
}
