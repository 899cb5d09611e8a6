import busboy from 'busboy'
import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import type http from 'node:http'
import path from 'node:path'
import { finished, pipeline } from 'node:stream/promises'
import { once } from 'node:events'
import { now } from '../functions/core/clock.js'
import { AppError } from '../functions/core/errors.js'
import { objectPath, verifyDownload, verifyUpload } from '../functions/storage/disk.js'

/**
 * The local object store's two doors, as OSS has them: `POST /storage/upload` takes a signed form (the
 * fields, then the file as `file`) and writes the file under `DATA_DIR/objects`; `GET /storage/object`
 * sends it back to a signed URL. Never part of a deployed build.
 */
export async function handleStorage(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  dataDir: string,
): Promise<void> {
  const seconds = Math.floor(now() / 1000)
  if (req.method === 'POST' && url.pathname === '/storage/upload') {
    await receive(req, dataDir, seconds)
    res.writeHead(204)
    return void res.end()
  }
  if (req.method === 'GET' && url.pathname === '/storage/object') {
    const { key, fileName, contentType } = verifyDownload(url.searchParams, seconds)
    const file = objectPath(dataDir, key)
    const found = await stat(file).catch(() => undefined)
    if (!found?.isFile()) throw new AppError(404, 'storage.not_found', '文件不存在')
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': found.size,
      'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
    })
    return void (await pipeline(createReadStream(file), res))
  }
  throw new AppError(404, 'storage.not_found', '没有这个存储接口')
}

/** Streams the form's file to a temporary name and renames it into place once whole and within size. */
function receive(req: http.IncomingMessage, dataDir: string, seconds: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {}
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 20 } })
    } catch {
      return reject(new AppError(400, 'validation.failed', '请以 multipart/form-data 上传'))
    }
    let written: Promise<void> | undefined
    parser.on('field', (name, value) => (fields[name] = value))
    parser.on('file', (_name, stream) => {
      written = (async () => {
        // the fields come first, as OSS requires: the file is judged by them
        const { key, maxSize } = verifyUpload(fields, seconds)
        const target = objectPath(dataDir, key)
        const part = `${target}.part-${randomBytes(6).toString('hex')}`
        await mkdir(path.dirname(target), { recursive: true })
        // past the size the rest is drained unwritten, so busboy reads on to the end of the form
        const out = createWriteStream(part)
        let size = 0
        for await (const chunk of stream as AsyncIterable<Buffer>) {
          size += chunk.length
          if (size <= maxSize && !out.write(chunk)) await once(out, 'drain')
        }
        out.end()
        await finished(out)
        if (size > maxSize) {
          await rm(part, { force: true })
          throw new AppError(413, 'storage.too_large', `文件超过声明的大小（${maxSize} 字节）`)
        }
        if (size === 0) {
          await rm(part, { force: true })
          throw new AppError(400, 'validation.failed', '文件是空的')
        }
        await rename(part, target)
      })()
      written.catch(() => stream.resume())
    })
    parser.on('error', () => reject(new AppError(400, 'validation.failed', '上传内容无法解析')))
    parser.on('close', () => {
      if (!written) return reject(new AppError(400, 'validation.failed', '缺少文件（字段 file）'))
      written.then(resolve, reject)
    })
    req.pipe(parser)
  })
}
