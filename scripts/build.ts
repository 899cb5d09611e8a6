/**
 * `npm run build`: one minified ESM bundle per deployed function (dist/functions/<name>/index.mjs, Node
 * 20), as s.yaml's `code` paths expect, and the size of each.
 */
import { build, type BuildOptions } from 'esbuild'
import { readdirSync, statSync, existsSync, rmSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { readFileSync } from 'node:fs'
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

export async function buildFunctions(outdir = 'dist/functions') {
  rmSync(outdir, { recursive: true, force: true })
  const sizes: { function: string; bytes: number; gzip: number }[] = []
  for (const name of functionNames()) {
    const outfile = path.join(outdir, name, 'index.mjs')
    await build({
      entryPoints: [path.join('functions', name, 'handler.ts')],
      outfile,
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
    })
    sizes.push({
      function: name,
      bytes: statSync(outfile).size,
      gzip: gzipSync(readFileSync(outfile)).length,
    })
  }
  return sizes
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = await buildFunctions()
  console.table(
    sizes.map((s) => ({
      function: s.function,
      size: `${(s.bytes / 1024).toFixed(1)} KB`,
      gzip: `${(s.gzip / 1024).toFixed(1)} KB`,
    })),
  )
}
