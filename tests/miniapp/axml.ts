import { TransformCompiler } from '@alipay/axml-transverter'
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../miniapp/src')

/**
 * Every page and component template: `pages/product/list`, `components/record-list/index`... (the shared
 * templates pages `<include>`, under `templates/`, are checked inside each page that includes them).
 */
export function templates(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? dir === SRC && e.name === 'templates'
          ? []
          : walk(path.join(dir, e.name))
        : e.name.endsWith('.axml')
          ? [path.join(dir, e.name)]
          : [],
    )
  return walk(SRC)
    .map((file) =>
      path
        .relative(SRC, file)
        .split(path.sep)
        .join('/')
        .replace(/\.axml$/, ''),
    )
    .sort()
}

/** A template with its `<include src="..."/>`s inlined, as the runtime assembles it. */
export function readTemplate(base: string): string {
  const file = path.join(SRC, `${base}.axml`)
  return readFileSync(file, 'utf8').replace(/<include\s+src="([^"]+)"\s*\/>/g, (_, src: string) => {
    const included = src.startsWith('/') ? path.join(SRC, src) : path.resolve(path.dirname(file), src)
    return readTemplate(path.relative(SRC, included).replace(/\.axml$/, ''))
  })
}

export const readJson = (base: string): { usingComponents?: Record<string, string> } =>
  JSON.parse(readFileSync(path.join(SRC, `${base}.json`), 'utf8'))

/** The built-in elements of the mini-program runtime a template may use without declaring them. */
export const BUILT_INS = new Set(
  'view text block image icon input textarea switch slider picker picker-view scroll-view swiper swiper-item navigator form label checkbox checkbox-group radio radio-group progress rich-text movable-area movable-view canvas map web-view slot template import include import-sjs'.split(
    ' ',
  ),
)

/** Tags of custom components a template uses. */
export const customTags = (axml: string): string[] =>
  [...new Set([...axml.matchAll(/<([a-z][\w-]*)/g)].map((m) => m[1]))].filter((tag) => !BUILT_INS.has(tag))

/** Handler names bound in a template: `onTap="onRetry"` → onRetry (dynamic `{{...}}` names left out). */
export const handlerNames = (axml: string): string[] => [
  ...new Set([...axml.matchAll(/\s(?:on|catch)[A-Z]\w*="([A-Za-z_$][\w$]*)"/g)].map((m) => m[1])),
]

/** Compiles a template as the Alipay/DingTalk compiler would; throws on a template error. */
export const compileAlipay = (axml: string): string =>
  new TransformCompiler({ platform: 'ALIPAY', customMapping: {} }, []).compile(axml)

/**
 * The same template as WeChat WXML, for miniprogram-simulate: `a:if` → `wx:if`, `onTap` → `bindtap`,
 * and a custom component's `onItemTap="x"` → `bind:itemtap="x"` (the adapter turns the component's
 * `this.props.onItemTap(...)` into that event).
 */
export function toWxml(axml: string): string {
  const customMapping: Record<string, Record<string, string>> = {}
  for (const tag of customTags(axml)) {
    const events = [...axml.matchAll(new RegExp(`<${tag}\\b[^>]*`, 'g'))].flatMap((m) =>
      [...m[0].matchAll(/\s(on[A-Z]\w*)=/g)].map((e) => e[1]),
    )
    customMapping[tag] = Object.fromEntries(events.map((e) => [e, `bind:${e.slice(2).toLowerCase()}`]))
  }
  return new TransformCompiler({ platform: 'WECHAT', customMapping }, []).compile(axml)
}
