/**
 * `npm run build`: one minified ESM bundle per deployed function (dist/functions/<name>/index.mjs, Node
 * 20), as s.yaml's `code` paths expect, and the size of each.
 */
import { build, type BuildOptions, type Metafile } from 'esbuild'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import path from 'node:path'

export const functionNames = () =>
  readdirSync('functions').filter((name) => existsSync(path.join('functions', name, 'handler.ts')))

/** How every deployed function is bundled (also used by the bundle benchmark's baseline). */
export const bundleOptions = {
  bundle: true,
  minify: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  legalComments: 'none',
  // The AWS SDK's ES modules (its `module` field, dist-es) rather than its CommonJS (`main`, what platform
  // node picks by default): they tree-shake, and the SDK loads its rarely used credential providers (SSO,
  // INI files, web identity, the STS/SSO clients) through import(), so a cold start reads ~220 KB of the
  // SDK instead of ~490 KB. Only the AWS SDK packages resolve differently (the others have `exports`).
  mainFields: ['module', 'main'],
  // Some dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
} satisfies BuildOptions

/**
 * What a cold start loads: `index.mjs` and the chunks it imports statically (splitting puts code shared
 * with a lazily loaded chunk into a chunk of its own, which `index.mjs` then imports), apart from the
 * chunks only reached through `import()`, loaded on first use.
 */
export function loadedAtStart(metafile: Metafile) {
  const outputs = metafile.outputs
  const entry = Object.keys(outputs).find((file) => file.endsWith('index.mjs'))!
  const atStart = new Set<string>()
  const visit = (file: string) => {
    if (atStart.has(file)) return
    atStart.add(file)
    for (const i of outputs[file].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path)
  }
  visit(entry)
  const files = Object.keys(outputs).filter((file) => file.endsWith('.mjs'))
  const bytes = (list: string[]) => list.reduce((sum, file) => sum + outputs[file].bytes, 0)
  return {
    files: [...atStart],
    bytes: bytes([...atStart]),
    lazyBytes: bytes(files.filter((file) => !atStart.has(file))),
  }
}

/** One function's bundle into `dir`: `index.mjs` and its `chunks/`; what a cold start loads of them. */
export async function buildBundle(entry: string, dir: string) {
  const { metafile } = await build({
    ...bundleOptions,
    entryPoints: { index: entry },
    outdir: dir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    nodePaths: [path.resolve('node_modules')],
    metafile: true,
  })
  return loadedAtStart(metafile)
}

/**
 * Builds every function into `<outdir>/<name>/`: `index.mjs`, the chunks it imports statically (what a
 * cold start loads: `bytes`), and the chunks a function loads on first use through `import()`
 * (`lazyBytes`: exceljs for imports and exports, busboy for uploads, the SDK's rarely used credential
 * providers), so a function that never touches a spreadsheet never reads that code.
 */
export async function buildFunctions(outdir = 'dist/functions') {
  rmSync(outdir, { recursive: true, force: true })
  const sizes: { function: string; bytes: number; gzip: number; lazyBytes: number }[] = []
  for (const name of functionNames()) {
    const dir = path.join(outdir, name)
    const { files, bytes, lazyBytes } = await buildBundle(path.join('functions', name, 'handler.ts'), dir)
    const gzip = files.reduce((sum, file) => sum + gzipSync(readFileSync(file)).length, 0)
    sizes.push({ function: name, bytes, gzip, lazyBytes })
  }
  return sizes
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await buildFunctions()
  console.table(
    sizes.map((s) => ({
      function: s.function,
      'loaded at start': kb(s.bytes),
      gzip: kb(s.gzip),
      'loaded on use': s.lazyBytes ? kb(s.lazyBytes) : '',
    })),
  )
}
