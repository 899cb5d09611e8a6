/**
 * `npm run build`: one minified ESM bundle per deployed function (dist/functions/<name>/index.mjs, Node
 * 20), as s.yaml's `code` paths expect, and the size of each.
 */
import { build, type BuildOptions } from 'esbuild'
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
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
  // Some dependencies are CommonJS and call require(): give the ESM bundle one.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
} satisfies BuildOptions

/** One function's bundle into `dir`: `index.mjs` and its lazily imported `chunks/`. */
export async function buildBundle(entry: string, dir: string) {
  await build({
    ...bundleOptions,
    entryPoints: { index: entry },
    outdir: dir,
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    nodePaths: [path.resolve('node_modules')],
  })
}

/**
 * Builds every function into `<outdir>/<name>/`: `index.mjs`, what a cold start loads, and `chunks/`, what a
 * function loads on first use through `import()` (exceljs for imports and exports, busboy for uploads),
 * so a function that never touches a spreadsheet never reads that code.
 */
export async function buildFunctions(outdir = 'dist/functions') {
  rmSync(outdir, { recursive: true, force: true })
  const sizes: { function: string; bytes: number; gzip: number; lazyBytes: number }[] = []
  for (const name of functionNames()) {
    const dir = path.join(outdir, name)
    await buildBundle(path.join('functions', name, 'handler.ts'), dir)
    const entry = path.join(dir, 'index.mjs')
    const chunks = path.join(dir, 'chunks')
    const lazy = existsSync(chunks) ? readdirSync(chunks).map((f) => statSync(path.join(chunks, f)).size) : []
    sizes.push({
      function: name,
      bytes: statSync(entry).size,
      gzip: gzipSync(readFileSync(entry)).length,
      lazyBytes: lazy.reduce((a, b) => a + b, 0),
    })
  }
  return sizes
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await buildFunctions()
  console.table(
    sizes.map((s) => ({
      function: s.function,
      'index.mjs': kb(s.bytes),
      gzip: kb(s.gzip),
      'loaded on use': s.lazyBytes ? kb(s.lazyBytes) : '',
    })),
  )
}
