import simulate from 'miniprogram-simulate'
import path from 'node:path'
import { fakeDd, loadModule, type FakeDd } from './host.js'
import { customTags, readJson, readTemplate, SRC, toWxml } from './axml.js'

type Options = Record<string, any>

/** Handler props of an Alipay component arrive here as events carrying the call's arguments. */
interface PropCall {
  detail?: { propCallArgs?: unknown[] }
}

/** An Alipay handler called with what the Alipay runtime would pass: the component's own arguments. */
const unwrapProps = (fn: (...args: unknown[]) => unknown) =>
  function (this: unknown, event?: PropCall) {
    const args = event?.detail?.propCallArgs
    return fn.apply(this, args ?? [event])
  }

const isHandlerProp = (name: string, value: unknown) => /^on[A-Z]/.test(name) && typeof value === 'function'

/**
 * miniprogram-simulate speaks WeChat: this turns an Alipay page or component (as the module registered
 * it) into a j-component definition. A page's handlers become methods and `onLoad` runs on attach; a
 * component's props become properties, and `this.props.onX(args)` triggers the event the parent's
 * `bind:x` listens to.
 */
function definition(
  kind: 'page' | 'component',
  options: Options,
  template: string,
  usingComponents: Options,
  query: Options,
) {
  if (kind === 'page') {
    const methods = Object.fromEntries(
      Object.entries(options)
        .filter(([, v]) => typeof v === 'function')
        .map(([name, fn]) => [name, unwrapProps(fn)]),
    )
    return {
      template,
      usingComponents,
      data: structuredClone(options.data ?? {}),
      methods,
      attached(this: Options) {
        void options.onLoad?.call(this, query)
      },
    }
  }
  const props: Options = options.props ?? {}
  const properties = Object.fromEntries(
    Object.entries(props)
      .filter(([name, value]) => !isHandlerProp(name, value))
      .map(([name, value]) => [name, { type: null, value }]),
  )
  const withProps = (self: Options) => {
    const current: Options = { ...props }
    for (const name of Object.keys(properties)) current[name] = self.data[name]
    for (const [name, value] of Object.entries(props))
      if (isHandlerProp(name, value))
        current[name] = (...args: unknown[]) =>
          self.triggerEvent(name.slice(2).toLowerCase(), { propCallArgs: args })
    return current
  }
  const methods = Object.fromEntries(
    Object.entries(options.methods ?? {}).map(([name, fn]) => [
      name,
      function (this: Options, ...args: unknown[]) {
        this.props = withProps(this)
        return (fn as (...a: unknown[]) => unknown).apply(this, args)
      },
    ]),
  )
  return {
    template,
    usingComponents,
    properties,
    data: structuredClone(options.data ?? {}),
    methods,
    attached(this: Options) {
      this.props = withProps(this)
      options.didMount?.call(this)
    },
  }
}

/**
 * Stand-ins for the mini-ali-ui components (their own rendering is mini-ali-ui's business): a button
 * that taps, a search bar, an empty state that shows its title, a spinner.
 */
const ALI_UI_STUBS: Record<string, { template: string; props: Options; methods?: Options }> = {
  button: {
    template: '<view class="am-button" bindtap="onTapButton"><slot /></view>',
    props: { type: '', disabled: false, onTap: () => {} },
    methods: {
      onTapButton(this: Options) {
        if (!this.props.disabled) this.props.onTap()
      },
    },
  },
  'search-bar': {
    template: '<view class="am-search">{{placeholder}}</view>',
    props: { placeholder: '', value: '' },
  },
  'page-result': {
    template:
      '<view class="am-page-result"><view class="am-page-result-title">{{title}}</view><view>{{brief}}</view><slot /></view>',
    props: { title: '', brief: '' },
  },
  loading: { template: '<view class="am-loading">加载中</view>', props: {} },
}

/** Registers a page or component (and what it uses) with miniprogram-simulate; returns its id. */
async function register(base: string, dd: FakeDd['dd'], query: Options): Promise<string> {
  // j-component renders a tag named like an HTML element (`button`) natively, ignoring usingComponents
  const renamed = (tag: string) => (tag === 'button' ? 'ali-button' : tag)
  // and mini-ali-ui's `className` prop is what a test can select the component by
  const axml = readTemplate(base)
    .replace(/<(\/?)button\b/g, '<$1ali-button')
    .replace(/\sclassName="/g, ' class="')
  const usingComponents: Options = {}
  for (const [name, target] of Object.entries(readJson(base).usingComponents ?? {})) {
    const tag = renamed(name)
    if (!customTags(axml).includes(tag)) continue
    if (target.startsWith('mini-ali-ui/')) {
      const stub = ALI_UI_STUBS[name]
      if (!stub) throw new Error(`no stand-in for mini-ali-ui ${name}`)
      usingComponents[tag] = simulate.load(
        definition(
          'component',
          { props: stub.props, methods: stub.methods ?? {} },
          toWxml(stub.template),
          {},
          {},
        ) as any,
      ) as string
    } else usingComponents[tag] = await register(target.replace(/^\//, ''), dd, {})
  }
  const { kind, options } = await loadModule(path.join(SRC, `${base}.ts`), dd)
  return simulate.load(definition(kind, options, toWxml(axml), usingComponents, query) as any) as string
}

/** Renders a page in jsdom under a fake `dd`, attached to the document, `onLoad(query)` called. */
export async function renderPage(base: string, host: FakeDd = fakeDd(), query: Options = {}) {
  const id = await register(base, host.dd, query)
  const page = simulate.render(id)
  const parent = document.createElement('div')
  page.attach(parent)
  return page
}

export { simulate }
