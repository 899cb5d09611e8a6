import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  compileAlipay,
  customTags,
  handlerNames,
  readJson,
  readTemplate,
  SRC,
  templates,
  toWxml,
} from './axml.js'
import { fakeDd, loadModule } from './host.js'

const all = templates()

describe('mini-program templates', () => {
  it('finds the templates of every page in app.json and of the generic components', () => {
    const { pages } = JSON.parse(readFileSync(path.join(SRC, 'app.json'), 'utf8')) as { pages: string[] }
    expect(all).toEqual(expect.arrayContaining(pages))
    expect(all).toEqual(
      expect.arrayContaining(['components/record-list/index', 'components/record-form/index']),
    )
  })

  for (const base of all) {
    it(`${base}.axml compiles with the AXML compiler without template errors`, () => {
      expect(() => compileAlipay(readTemplate(base))).not.toThrow()
      expect(toWxml(readTemplate(base))).not.toMatch(/\ba:(if|elif|else|for|key)\b/)
    })

    it(`${base}.axml names only handlers that ${base}.ts defines`, async () => {
      const { kind, options } = await loadModule(path.join(SRC, `${base}.ts`), fakeDd().dd)
      const methods = kind === 'component' ? options.methods : options
      const missing = handlerNames(readTemplate(base)).filter((name) => typeof methods[name] !== 'function')
      expect(missing).toEqual([])
    })

    it(`${base}.axml uses only components that ${base}.json declares, at paths that exist`, () => {
      const using = readJson(base).usingComponents ?? {}
      expect(customTags(readTemplate(base)).filter((tag) => !(tag in using))).toEqual([])
      for (const target of Object.values(using)) {
        const file = target.startsWith('mini-ali-ui/')
          ? path.resolve(SRC, '../../node_modules', `${target}.json`)
          : path.join(SRC, `${target}.json`)
        expect(existsSync(file), target).toBe(true)
      }
    })
  }

  it('reports a template error: an a:elif without an a:if before it', () => {
    expect(() => compileAlipay('<view><text a:elif="{{x}}">x</text></view>')).toThrow(/a:elif/)
  })

  it('finds a handler the page does not define', () => {
    expect(handlerNames('<view onTap="onGone" catchTap="onCaught" onInput="{{dynamic}}" />')).toEqual([
      'onGone',
      'onCaught',
    ])
  })
})
