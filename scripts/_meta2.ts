import { build } from 'esbuild'
import { bundleOptions } from './build.js'
import path from 'node:path'
const name = process.argv[2]; const filter = process.argv[3] ?? ''
const r = await build({ ...bundleOptions, entryPoints: { index: `functions/${name}/handler.ts` }, outdir: '/tmp/scale3-out/'+name, splitting: true, chunkNames: 'chunks/[name]-[hash]', outExtension: { '.js': '.mjs' }, metafile: true, nodePaths: [path.resolve('node_modules')] })
for (const [o, out] of Object.entries(r.metafile.outputs)) {
  console.log(o, (out.bytes/1024).toFixed(1))
  if (!o.endsWith('index.mjs')) continue
  const rows = Object.entries(out.inputs).filter(([f]) => f.includes(filter)).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput).slice(0, Number(process.argv[4] ?? 40))
  console.log(rows.map(([k, v]) => `${(v.bytesInOutput/1024).toFixed(1)}\t${k}`).join('\n'))
}
