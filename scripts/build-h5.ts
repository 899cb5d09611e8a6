/**
 * Builds the H5 app (`h5/` → `h5/dist`) with Vite's API; `npm start` calls `ensureH5Build()` so a fresh
 * clone or an edited source is rebuilt before the stack serves it. `npm run build:h5` is the CLI way.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const CONFIG = path.join(ROOT, 'h5/vite.config.ts')
export const H5_DIST = path.join(ROOT, 'h5/dist')

/** what the bundle is made of: a change to any of these makes `h5/dist` stale */
const SOURCES = ['h5/src', 'h5/index.html', 'h5/vite.config.ts', 'shared', 'package-lock.json']

function newestMtime(target: string): number {
  if (!existsSync(target)) return 0
  const stat = statSync(target)
  if (!stat.isDirectory()) return stat.mtimeMs
  return readdirSync(target, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((newest, entry) => Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs), 0)
}

export function h5IsStale(outDir = H5_DIST): boolean {
  const index = path.join(outDir, 'index.html')
  if (!existsSync(index)) return true
  const built = statSync(index).mtimeMs
  return SOURCES.some((source) => newestMtime(path.join(ROOT, source)) > built)
}

/** Builds into `outDir` (default `h5/dist`). */
export async function buildH5(outDir = H5_DIST): Promise<void> {
  await build({
    configFile: CONFIG,
    logLevel: 'warn',
    mode: 'production',
    // the production React even when NODE_ENV says otherwise (vitest sets it to 'test')
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: { outDir, emptyOutDir: true },
  })
}

/** Builds `h5/dist` when it is missing or older than its sources; says so on the console. */
export async function ensureH5Build(): Promise<void> {
  if (!h5IsStale()) return
  console.log('正在构建 H5 应用（h5/dist）…')
  await buildH5()
}
