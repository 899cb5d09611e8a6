/**
 * The local server sends the built H5 app compressed and cacheable: hashed assets for a year, the page
 * revalidated (304 while unchanged), brotli or gzip as the browser accepts, the page for client routes.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { useStack } from '../helpers/stack.js'

const dist = mkdtempSync(path.join(os.tmpdir(), 'crm-static-'))
const script = `console.log(${JSON.stringify('钉钉 CRM '.repeat(2000))})`
mkdirSync(path.join(dist, 'assets'))
writeFileSync(
  path.join(dist, 'index.html'),
  '<!doctype html><title>钉钉 CRM</title><script src="/assets/app-1a2b.js"></script>',
)
writeFileSync(path.join(dist, 'assets', 'app-1a2b.js'), script)

const t = useStack({ seed: false, staticDir: dist })
/** The raw answer (fetch would undo the compression this checks). */
const get = (pathname: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    http
      .get(t.baseUrl + pathname, { headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
        )
      })
      .on('error', reject)
  })

describe('the static H5 app', () => {
  it('sends brotli to a browser that accepts it, a fraction of the size', async () => {
    const response = await get('/assets/app-1a2b.js', { 'accept-encoding': 'gzip, deflate, br' })
    expect(response.headers['content-encoding']).toBe('br')
    const body = response.body
    expect(body.length).toBeLessThan(Buffer.byteLength(script) / 10)
    expect(brotliDecompressSync(body).toString()).toBe(script)
  })

  it('sends gzip where only gzip is accepted, and the file as it is otherwise', async () => {
    const gzipped = await get('/assets/app-1a2b.js', { 'accept-encoding': 'gzip' })
    expect(gzipped.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gzipped.body).toString()).toBe(script)
    const plain = await get('/assets/app-1a2b.js')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(script)
  })

  it('lets hashed assets be cached for a year and revalidates the page', async () => {
    expect((await get('/assets/app-1a2b.js')).headers['cache-control']).toBe(
      'public, max-age=31536000, immutable',
    )
    const page = await get('/')
    expect(page.headers['cache-control']).toBe('no-cache')
    const again = await get('/', { 'if-none-match': page.headers.etag! })
    expect(again.status).toBe(304)
  })

  it('answers a client-side route with the page', async () => {
    const response = await get('/customers/123')
    expect(response.headers['content-type']).toContain('text/html')
    expect(response.body.toString()).toContain('<title>钉钉 CRM</title>')
  })
})
