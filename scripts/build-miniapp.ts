/**
 * `npm run build:miniapp`: miniapp/src → miniapp/dist, a DingTalk mini-program the developer tool opens
 * as it is (miniapp/mini.project.json points `miniprogramRoot` there). minidev cannot build offline, so:
 * - esbuild bundles every page, component and app.ts, with the shared zod schemas and API client, as ES
 *   modules the mini-program runtime loads; code used by several pages goes once into `common/` chunks;
 * - LESS → .acss; .axml and .json copied;
 * - mini-ali-ui components named in `usingComponents` (`mini-ali-ui/es/<name>/index`) are copied, with
 *   the components they use, to `npm/mini-ali-ui/` and their JS bundled too (it imports @babel/runtime,
 *   which the runtime cannot resolve), and the `usingComponents` paths are rewritten to point there.
 * Then it prints the size of each package against DingTalk's limits.
 */
import * as esbuild from 'esbuild'
import less from 'less'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rm, stat, writeFile, copyFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const srcDir = path.join(root, 'miniapp/src')
const defaultOutDir = path.join(root, 'miniapp/dist')
const aliUiDir = path.join(root, 'node_modules/mini-ali-ui/es')

const ALI_UI = 'mini-ali-ui/es/'
const ALI_UI_OUT = 'npm/mini-ali-ui'
/** DingTalk refuses a package above 2 MB; the main package aims below 600 KB to start fast. */
export const PACKAGE_LIMIT = 2 * 1024 * 1024
export const MAIN_PACKAGE_GOAL = 600 * 1024

export interface PackageSize {
  name: string
  root: string
  bytes: number
  files: number
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])),
  )
  return nested.flat()
}

const withoutExt = (file: string) => file.slice(0, -path.extname(file).length)

async function writeOut(distDir: string, relative: string, content: string | Buffer) {
  const target = path.join(distDir, relative)
  await mkdir(path.dirname(target), { recursive: true })
  await writeFile(target, content)
}

/** Rewrites `mini-ali-ui/es/x/index` to its copy in dist and returns the components it names. */
function rewriteUsingComponents(json: { usingComponents?: Record<string, string> }): string[] {
  const used: string[] = []
  for (const [tag, target] of Object.entries(json.usingComponents ?? {})) {
    if (!target.startsWith(ALI_UI)) continue
    const component = path.posix.dirname(target.slice(ALI_UI.length))
    used.push(component)
    json.usingComponents![tag] = `/${ALI_UI_OUT}/${component}/index`
  }
  return used
}

/** A mini-ali-ui component and every component it uses in turn (`list/list-item` → `am-icon`...). */
async function aliUiClosure(names: string[]): Promise<Set<string>> {
  const seen = new Set<string>()
  const queue = [...names]
  while (queue.length) {
    const name = queue.pop()!
    if (seen.has(name)) continue
    const json = path.join(aliUiDir, name, 'index.json')
    if (!existsSync(json)) throw new Error(`mini-ali-ui has no component "${name}"`)
    seen.add(name)
    const { usingComponents = {} } = JSON.parse(await readFile(json, 'utf8')) as {
      usingComponents?: Record<string, string>
    }
    for (const target of Object.values(usingComponents))
      queue.push(path.posix.normalize(path.posix.join(name, path.posix.dirname(target))))
  }
  return seen
}

function packagesOf(appJson: { subPackages?: { root: string }[]; subpackages?: { root: string }[] }) {
  return (appJson.subPackages ?? appJson.subpackages ?? []).map((p) => p.root.replace(/^\/|\/$/g, ''))
}

async function measure(distDir: string, subPackageRoots: string[]): Promise<PackageSize[]> {
  const sizes = new Map<string, PackageSize>([['main', { name: '主包', root: '/', bytes: 0, files: 0 }]])
  for (const r of subPackageRoots) sizes.set(r, { name: `分包 ${r}`, root: `/${r}`, bytes: 0, files: 0 })
  for (const file of await filesUnder(distDir)) {
    const relative = path.relative(distDir, file).split(path.sep).join('/')
    const owner = subPackageRoots.find((r) => relative.startsWith(`${r}/`)) ?? 'main'
    const size = sizes.get(owner)!
    size.bytes += (await stat(file)).size
    size.files += 1
  }
  return [...sizes.values()]
}

export async function buildMiniapp({
  outDir: distDir = defaultOutDir,
  log = console.log,
}: { outDir?: string; log?: (line: string) => void } = {}): Promise<PackageSize[]> {
  await rm(distDir, { recursive: true, force: true })
  const files = (await filesUnder(srcDir)).map((f) => path.relative(srcDir, f).split(path.sep).join('/'))
  const has = new Set(files)

  // .json (with mini-ali-ui paths rewritten), .axml, .less → .acss
  const aliUiUsed: string[] = []
  for (const file of files) {
    const source = path.join(srcDir, file)
    if (file.endsWith('.json')) {
      const json = JSON.parse(await readFile(source, 'utf8'))
      aliUiUsed.push(...rewriteUsingComponents(json))
      await writeOut(distDir, file, JSON.stringify(json, null, 2) + '\n')
    } else if (file.endsWith('.axml')) {
      await writeOut(distDir, file, await readFile(source))
    } else if (file.endsWith('.less') && !file.startsWith('styles/')) {
      const { css } = await less.render(await readFile(source, 'utf8'), { filename: source })
      await writeOut(distDir, withoutExt(file) + '.acss', css)
    }
  }

  // mini-ali-ui: templates, styles and json as published; the JS goes through esbuild below
  const aliUi = await aliUiClosure(aliUiUsed)
  const entryPoints: Record<string, string> = {}
  for (const name of aliUi) {
    for (const ext of ['axml', 'acss', 'json']) {
      const from = path.join(aliUiDir, name, `index.${ext}`)
      if (!existsSync(from)) continue
      await mkdir(path.join(distDir, ALI_UI_OUT, name), { recursive: true })
      await copyFile(from, path.join(distDir, ALI_UI_OUT, name, `index.${ext}`))
    }
    entryPoints[`${ALI_UI_OUT}/${name}/index`] = path.join(aliUiDir, name, 'index.js')
  }

  // app.ts and every page or component (a .ts beside an .axml)
  for (const file of files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))) {
    const base = withoutExt(file)
    if (base === 'app' || has.has(`${base}.axml`)) entryPoints[base] = path.join(srcDir, file)
  }

  await esbuild.build({
    entryPoints,
    outdir: distDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    chunkNames: 'common/[name]-[hash]',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    target: 'es2017',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: {
      MINIAPP_API_BASE_URL: JSON.stringify(process.env.MINIAPP_API_BASE_URL ?? 'http://127.0.0.1:3000'),
      MINIAPP_H5_URL: JSON.stringify(process.env.MINIAPP_H5_URL ?? ''),
      MINIAPP_CORP_ID: JSON.stringify(process.env.MINIAPP_CORP_ID ?? 'ding-demo'),
    },
  })

  const appJson = JSON.parse(await readFile(path.join(srcDir, 'app.json'), 'utf8'))
  const sizes = await measure(distDir, packagesOf(appJson))
  log(path.relative(root, distDir) || distDir)
  for (const p of sizes) {
    const limit = p.root === '/' ? ` (目标 ${MAIN_PACKAGE_GOAL / 1024} KB，上限 2048 KB)` : ' (上限 2048 KB)'
    log(
      `  ${p.name.padEnd(12)} ${(p.bytes / 1024).toFixed(1).padStart(8)} KB  ${String(p.files).padStart(3)} 个文件${limit}`,
    )
  }
  const tooBig = sizes.filter((p) => p.bytes > PACKAGE_LIMIT)
  if (tooBig.length) throw new Error(`超过 2 MB 的包：${tooBig.map((p) => p.name).join('、')}`)
  if (sizes[0].bytes > MAIN_PACKAGE_GOAL) log(`  注意：主包超过 ${MAIN_PACKAGE_GOAL / 1024} KB，考虑分包`)
  return sizes
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildMiniapp().catch((error: unknown) => {
    console.error(error)
    process.exitCode = 1
  })
}
