/**
 * The local object store, through the local server's doors, as a client meets OSS: a signed form uploads
 * the bytes (at most the declared size, only to the signed key, only before the expiry) and a signed URL
 * reads them back. Everything else is refused and writes nothing.
 */
import { describe, expect, it } from 'vitest'
import { now } from '../../functions/core/clock.js'
import { objectKey, objectStore, type UploadForm } from '../../functions/storage/store.js'
import { useStack } from '../helpers/stack.js'

// the stack serves the store's doors and points the configuration at them
useStack({ seed: false })

const inMinutes = (minutes: number) => new Date(now() + minutes * 60_000)
const photo = Buffer.from('\x89PNG\r\n\x1a\n 拜访照片 '.repeat(20))

/** Posts the form as a browser's FormData (and `dd.uploadFile`) does: the fields, then the file. */
async function upload(form: UploadForm, bytes: Buffer, fields: Record<string, string> = {}) {
  const body = new FormData()
  for (const [name, value] of Object.entries({ ...form.fields, ...fields })) body.append(name, value)
  body.append('file', new Blob([new Uint8Array(bytes)], { type: form.fields['Content-Type'] }), 'visit.png')
  const response = await fetch(form.url, { method: 'POST', body })
  return { status: response.status, json: response.status === 204 ? undefined : await response.json() }
}

describe('the local object store', () => {
  it('stores a signed upload and gives it back through a signed URL', async () => {
    const store = objectStore()
    const key = objectKey('corp-store', 'attachments', 'a1')
    const form = store.uploadForm(key, { contentType: 'image/png', size: photo.length }, inMinutes(10))
    expect((await upload(form, photo)).status).toBe(204)
    expect(await store.stat(key)).toEqual({ size: photo.length })

    const url = store.downloadUrl(key, { fileName: '拜访.png', contentType: 'image/png' }, inMinutes(10))
    const response = await fetch(url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(response.headers.get('content-disposition')).toContain(encodeURIComponent('拜访.png'))
    expect(Buffer.from(await response.arrayBuffer()).equals(photo)).toBe(true)
  })

  it('refuses a file larger than declared with 413, and keeps nothing', async () => {
    const store = objectStore()
    const key = objectKey('corp-store', 'attachments', 'big')
    const form = store.uploadForm(key, { contentType: 'image/png', size: 10 }, inMinutes(10))
    const { status, json } = await upload(form, photo)
    expect(`${status} ${json?.error?.code}`).toBe('413 storage.too_large')
    expect(await store.stat(key)).toBeUndefined()
  })

  it('refuses a form whose key or type was changed, and an expired one', async () => {
    const store = objectStore()
    const key = objectKey('corp-store', 'attachments', 'a2')
    const form = store.uploadForm(key, { contentType: 'image/png', size: photo.length }, inMinutes(10))
    const otherKey = await upload(form, photo, { key: objectKey('corp-other', 'attachments', 'a2') })
    expect(`${otherKey.status} ${otherKey.json?.error?.code}`).toBe('403 storage.signature_invalid')
    const otherType = await upload(form, photo, { 'Content-Type': 'text/html' })
    expect(otherType.status).toBe(403)
    const expired = store.uploadForm(key, { contentType: 'image/png', size: photo.length }, inMinutes(-1))
    expect((await upload(expired, photo)).status).toBe(403)
    expect(await store.stat(key)).toBeUndefined()
  })

  it('refuses a download URL that was changed or has expired', async () => {
    const store = objectStore()
    const key = objectKey('corp-store', 'attachments', 'a3')
    const form = store.uploadForm(key, { contentType: 'image/png', size: photo.length }, inMinutes(10))
    await upload(form, photo)
    const file = { fileName: 'a.png', contentType: 'image/png' }
    const changed = store.downloadUrl(key, file, inMinutes(10)).replace('a3', 'a1')
    expect((await fetch(changed)).status).toBe(403)
    expect((await fetch(store.downloadUrl(key, file, inMinutes(-1)))).status).toBe(403)
  })

  it('makes keys only of safe segments under the tenant', () => {
    expect(() => objectKey('corp', '..', 'x')).toThrow()
    expect(() => objectKey('corp/../x', 'y')).toThrow()
    expect(objectKey('corp', 'attachments', 'id1')).toBe('corp/attachments/id1')
  })
})
