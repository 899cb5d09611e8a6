import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

/**
 * Layers run one way: a handler (functions/<name>/handler.ts and the modules beside the folders) may use
 * anything; domain uses db, dingtalk, storage and core; db, dingtalk, storage and http use core only; core uses nothing of
 * functions/ but itself. Packages and shared/ are open to every layer.
 */
const MAY_IMPORT: Record<string, string[]> = {
  core: ['core'],
  db: ['core', 'db'],
  dingtalk: ['core', 'dingtalk'],
  http: ['core', 'http'],
  storage: ['core', 'storage'],
  domain: ['core', 'db', 'dingtalk', 'storage', 'domain'],
}

const root = path.resolve('functions')

/** A file's layer: its first folder under functions/ when that is one of the layers, else the handler layer. */
const layerOf = (file: string) => {
  const top = path.relative(root, file).split(path.sep)[0]
  return top in MAY_IMPORT ? top : 'handler'
}

const sources = (readdirSync(root, { recursive: true }) as string[])
  .filter((name) => name.endsWith('.ts'))
  .map((name) => path.join(root, name))

/** Every import of every file into functions/ (static, `export from` and dynamic `import()`). */
const edges = sources.flatMap((file) =>
  ts
    .preProcessFile(readFileSync(file, 'utf8'), true, true)
    .importedFiles.map((i) => i.fileName)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => ({ file, specifier, target: path.resolve(path.dirname(file), specifier) }))
    .filter(({ target }) => !path.relative(root, target).startsWith('..')),
)

describe('layers', () => {
  it('reads the imports it judges (domain modules import db)', () => {
    expect(edges.some((e) => layerOf(e.file) === 'domain' && layerOf(e.target) === 'db')).toBe(true)
  })

  it('has no import that runs up or across: http, db and dingtalk use core only, domain never uses http', () => {
    const wrong = edges
      .filter(({ file, target }) => {
        const from = layerOf(file)
        return from !== 'handler' && !MAY_IMPORT[from].includes(layerOf(target))
      })
      .map(({ file, specifier }) => `${path.relative(root, file)} imports ${specifier}`)
    expect(wrong).toEqual([])
  })
})
