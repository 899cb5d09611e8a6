import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

const root = path.dirname(fileURLToPath(import.meta.url))

/**
 * The H5 app: `h5/` → `h5/dist`, served by the local stack at `/` (or any static host). JSX goes through
 * Vite's own oxc transform with React 17's automatic runtime (no @vitejs/plugin-react). Each route is a
 * lazy chunk (see src/app.tsx).
 */
export default defineConfig(({ command }) => ({
  root,
  base: '/',
  oxc: {
    // development JSX (jsxDEV) only for the dev server; a build is production whatever NODE_ENV says
    jsx: { runtime: 'automatic', importSource: 'react', development: command === 'serve' },
  },
  build: { outDir: path.join(root, 'dist'), emptyOutDir: true, target: 'es2020' },
}))
