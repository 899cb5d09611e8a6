import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildMiniapp, MAIN_PACKAGE_GOAL, type PackageSize } from '../../scripts/build-miniapp.js'
import { fakeApi, LOGIN } from './fake-api.js'
import { SRC } from './axml.js'
import { fakeDd, instanceOf } from './host.js'

let out: string
let sizes: PackageSize[]
const lines: string[] = []

beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'miniapp-'))
  sizes = await buildMiniapp({ outDir: out, log: (line) => lines.push(line) })
})
afterAll(() => rm(out, { recursive: true, force: true }))

const json = (file: string) => JSON.parse(readFileSync(path.join(out, file), 'utf8'))

describe('npm run build:miniapp', () => {
  it('keeps the main package under the 600 KB goal and prints its size', () => {
    expect(sizes[0].root).toBe('/')
    expect(sizes[0].bytes).toBeLessThan(MAIN_PACKAGE_GOAL)
    expect(lines.join('\n')).toMatch(/主包\s+\d+\.\d KB/)
  })

  it('writes js, axml and json for every page app.json lists, and acss for those with their own style', () => {
    for (const page of json('app.json').pages) {
      for (const ext of ['js', 'axml', 'json'])
        expect(existsSync(path.join(out, `${page}.${ext}`)), `${page}.${ext}`).toBe(true)
      if (existsSync(path.join(SRC, `${page}.less`)))
        expect(existsSync(path.join(out, `${page}.acss`)), `${page}.acss`).toBe(true)
    }
  })

  it('copies the templates pages include, at the path they name', () => {
    const included = readFileSync(path.join(out, 'pages/customer/list.axml'), 'utf8')
    expect(included).toContain('<include src="/templates/list.axml"')
    for (const template of ['list', 'detail', 'form'])
      expect(existsSync(path.join(out, `templates/${template}.axml`)), template).toBe(true)
  })

  it('points every usingComponents entry at a component inside dist, mini-ali-ui included', () => {
    for (const page of json('app.json').pages) {
      for (const target of Object.values<string>(json(`${page}.json`).usingComponents ?? {})) {
        const base = target.startsWith('/')
          ? path.join(out, target)
          : path.join(out, path.dirname(page), target)
        expect(existsSync(`${base}.js`) && existsSync(`${base}.axml`), `${page} → ${target}`).toBe(true)
      }
    }
    expect(json('npm/mini-ali-ui/search-bar/index.json').usingComponents['am-icon']).toBe('../am-icon/index')
    expect(existsSync(path.join(out, 'npm/mini-ali-ui/am-icon/index.js'))).toBe(true)
  })

  it('leaves no bare npm import in the bundles (the runtime could not resolve it)', () => {
    const js = readFileSync(path.join(out, 'npm/mini-ali-ui/button/index.js'), 'utf8')
    expect(js).not.toMatch(/from\s*["']@babel|require\(["']@babel/)
    const page = readFileSync(path.join(out, 'pages/product/list.js'), 'utf8')
    expect(page).not.toMatch(/from\s*["'](zod|mini-ali-ui)/)
  })

  it('builds a product list page that loads its first page under a fake host', async () => {
    const host = fakeDd({ http: fakeApi().http })
    host.dd.setStorageSync({ key: 'crm.session', data: LOGIN })
    let registered: Record<string, any> | undefined
    Object.assign(globalThis, { dd: host.dd, Page: (options: object) => (registered = options) })
    await import(pathToFileURL(path.join(out, 'pages/product/list.js')).href)
    const page = instanceOf(registered!)
    await page.callMethod('onLoad', {})
    expect(page.data.rows).toHaveLength(20)
    expect(host.requests()[0].url.href).toBe('http://127.0.0.1:3000/api/products?limit=20')
  })
})
