import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib'
import { parseJson } from '../functions/core/validate.js'
import { errorResponse } from '../functions/http/middleware.js'
import { functionForPath, functions } from '../functions/registry.js'
import type { Emulator } from './emulator/index.js'
import { handleStorage } from './storage.js'

/**
 * The local stack's one HTTP server: `/api/*` → the deployed function handlers (called with the very
 * event Function Compute 3 delivers), `/dingtalk/*` → the DingTalk emulator, `/` → the H5 app.
 */
export interface LocalServerOptions {
  emulator: Emulator
  /** built H5 app to serve at `/` */
  staticDir?: string
  /** extra `/__dev/...` routes (scheduler run) */
  dev?: Record<string, (body: unknown) => Promise<unknown>>
  /** false while the stack is still being set up (table, demo seed): the API answers 503 until then */
  ready?: () => boolean
  /** where `/storage` keeps uploaded files (`objects/`) */
  dataDir: string
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** The request as a Function Compute 3 HTTP trigger event: a Buffer holding `version: "v1"` JSON. */
function toFc3Event(req: http.IncomingMessage, url: URL, body: Buffer): Buffer {
  const headers = Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
  )
  const textual = /json|text|urlencoded/.test(String(req.headers['content-type'] ?? '')) || body.length === 0
  return Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: url.pathname,
      body: textual ? body.toString('utf8') : body.toString('base64'),
      isBase64Encoded: !textual,
      headers,
      queryParameters: Object.fromEntries(url.searchParams),
      requestContext: {
        requestId: randomUUID(),
        http: {
          method: req.method,
          path: decodeURIComponent(url.pathname),
          sourceIp: req.socket.remoteAddress,
        },
      },
    }),
  )
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
}

/** Text assets are sent compressed; each file's compressed form is made once per build (mtime). */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json'])
const compressed = new Map<string, { mtimeMs: number; body: Buffer }>()

function encode(file: string, mtimeMs: number, encoding: 'br' | 'gzip'): Buffer {
  const key = `${encoding}:${file}`
  const cached = compressed.get(key)
  if (cached?.mtimeMs === mtimeMs) return cached.body
  const raw = readFileSync(file)
  const body =
    encoding === 'br'
      ? brotliCompressSync(raw, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 9 } })
      : gzipSync(raw, { level: 9 })
  compressed.set(key, { mtimeMs, body })
  return body
}

/**
 * The built H5 app: Vite's hashed `/assets/*` are cached for a year (a new build has new names), the
 * page itself is revalidated on every load (ETag) so a new build is seen at once; text is sent brotli- or
 * gzip-compressed as the browser accepts. Unknown paths get the page (client-side routes).
 */
function serveStatic(
  dir: string | undefined,
  req: http.IncomingMessage,
  url: URL,
  res: http.ServerResponse,
): void {
  const index = dir && path.join(dir, 'index.html')
  if (!dir || !existsSync(index!)) {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end('<h1>钉钉 CRM 本地环境</h1><p>API: <a href="/api/health">/api/health</a></p>')
    return
  }
  const file = path.join(dir, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''))
  const target = file.startsWith(dir) && existsSync(file) && statSync(file).isFile() ? file : index!
  const { mtimeMs, size } = statSync(target)
  const extension = path.extname(target)
  const hashed = target !== index && url.pathname.startsWith('/assets/')
  const etag = `"${size.toString(36)}-${Math.round(mtimeMs).toString(36)}"`
  const headers: http.OutgoingHttpHeaders = {
    'content-type': MIME[extension] ?? 'application/octet-stream',
    'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag,
    vary: 'accept-encoding',
  }
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers)
    return void res.end()
  }
  const accepts = String(req.headers['accept-encoding'] ?? '')
  const encoding = !COMPRESSIBLE.has(extension)
    ? undefined
    : /\bbr\b/.test(accepts)
      ? 'br'
      : /\bgzip\b/.test(accepts)
        ? 'gzip'
        : undefined
  const body = encoding ? encode(target, mtimeMs, encoding) : readFileSync(target)
  res.writeHead(200, {
    ...headers,
    ...(encoding && { 'content-encoding': encoding }),
    'content-length': body.length,
  })
  res.end(body)
}

const send = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

export function createLocalServer({
  emulator,
  staticDir,
  dev = {},
  ready = () => true,
  dataDir,
}: LocalServerOptions): http.Server {
  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost')
      if (url.pathname.startsWith('/dingtalk/')) {
        return await emulator.handle(req, res, url.pathname.slice('/dingtalk'.length) + url.search)
      }
      if (url.pathname.startsWith('/storage/')) return await handleStorage(req, res, url, dataDir)
      if (url.pathname.startsWith('/__dev/') && dev[url.pathname.slice(6)]) {
        const body = await readBody(req)
        const result = await dev[url.pathname.slice(6)](body.length ? parseJson(body.toString()) : {})
        res.writeHead(200, { 'content-type': 'application/json' })
        return res.end(JSON.stringify(result))
      }
      if (url.pathname.startsWith('/api/') && !ready()) {
        // a script that waits for health must not meet the seed half-written
        if (url.pathname === '/api/health') return send(res, 503, { ok: false })
        return send(res, 503, { error: { code: 'stack.starting', message: '本地环境正在启动，请稍候' } })
      }
      if (url.pathname.startsWith('/api/')) {
        const name = functionForPath(url.pathname)
        if (!name) {
          res.writeHead(404, { 'content-type': 'application/json' })
          return res.end(JSON.stringify({ error: { code: 'route.not_found', message: '接口不存在' } }))
        }
        const { handler } = await functions[name].load()
        const result = await handler(toFc3Event(req, url, await readBody(req)), { requestId: randomUUID() })
        res.writeHead(result.statusCode, result.headers)
        return res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body)
      }
      serveStatic(staticDir, req, url, res)
    } catch (error) {
      // as the API answers: bad input (a dev route's body) is a 400 with its code, the rest a 500
      const response = errorResponse(error)
      res.writeHead(response.statusCode, response.headers)
      res.end(response.body)
    }
  })
}
