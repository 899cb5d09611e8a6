import { vi } from 'vitest'
import type { Dd } from '../../miniapp/src/host.js'

/** One call the page made to `dd`, with the options it passed. */
export interface DdCall {
  api: keyof Dd
  options: any
}

export interface HttpAnswer {
  status: number
  body?: unknown
}

export interface HttpCall {
  method: string
  url: string
  headers: Record<string, string>
  body?: any
}

/**
 * A fake `dd`: HTTP goes to `http` (a fake server, or the real one over fetch), `getAuthCode` answers
 * `authCode`, `confirm` answers `confirm`; the dialogs answer what the test queued (`choose`: action-sheet
 * indexes, `prompt`: texts, `date`: picker texts; nothing queued = cancelled), `getLocation` answers
 * `location`; every call is recorded.
 */
export function fakeDd(
  options: {
    http?: (request: HttpCall) => HttpAnswer | Promise<HttpAnswer>
    authCode?: () => string | Promise<string>
    confirm?: boolean
    choose?: number[]
    prompt?: string[]
    date?: string[]
    location?: { latitude: number; longitude: number; address?: string }
    /** photos `dd.chooseImage` answers (path and size); none: the user cancelled */
    images?: { path: string; size: number }[]
    /** what `dd.uploadFile` answers: a status (default 204), or a status and a body */
    upload?: (options: {
      url: string
      formData?: Record<string, string>
      header?: Record<string, string>
    }) => number | { status: number; body: unknown }
    /** the HTTP status `dd.downloadFile` answers (default 200) */
    download?: (options: { url: string; header?: Record<string, string> }) => number
    /** the file `dd.chooseFile` answers; none: the user cancelled; false: this client has no chooseFile */
    file?: { path: string; size: number; name: string } | false
    /** the percents `dd.uploadFile`'s task reports before it ends (none: a client without progress) */
    uploadProgress?: number[]
    /**
     * DingTalk's people picker (`dd.complexChoose`): the people it answers (userId as `emplId`), or
     * `cancel` / `error` (error 11 / 3); none: this client has no complexChoose
     */
    people?: { emplId: string; name: string }[] | 'cancel' | 'error'
    /** what `dd.canIUse` says of each API named here (any other: true); none: a client without canIUse */
    canIUse?: Record<string, boolean>
    /** `dd.setClipboard` and `dd.openLink` are there (default) or not */
    clipboard?: boolean
    openLink?: boolean
  } = {},
) {
  const choose = [...(options.choose ?? [])]
  const prompts = [...(options.prompt ?? [])]
  const dates = [...(options.date ?? [])]
  const calls: DdCall[] = []
  const storage = new Map<string, unknown>()
  const record = (api: keyof Dd, opts: any) => void calls.push({ api, options: opts })
  const dd = {
    httpRequest(opts) {
      record('httpRequest', opts)
      const request: HttpCall = {
        method: opts.method,
        url: opts.url,
        headers: opts.headers,
        body: opts.data ? JSON.parse(opts.data) : undefined,
      }
      Promise.resolve()
        .then(() => (options.http ?? ((): HttpAnswer => ({ status: 404 })))(request))
        .then(({ status, body }) => {
          const data = body === undefined ? '' : JSON.stringify(body)
          // DingTalk hands a non-2xx answer to `fail` as error 19 with the status and body
          if (status >= 200 && status < 300) opts.success?.({ status, headers: {}, data })
          else opts.fail?.({ error: 19, errorMessage: 'http status error', status, headers: {}, data })
        })
        .catch((error: Error) => opts.fail?.({ error: 12, errorMessage: error.message }))
    },
    getAuthCode(opts) {
      record('getAuthCode', opts)
      Promise.resolve()
        .then(() => (options.authCode ?? (() => 'auth-code'))())
        .then((authCode) => opts.success?.({ authCode }))
        .catch((error: Error) => opts.fail?.({ error: 11, errorMessage: error.message }))
    },
    confirm(opts) {
      record('confirm', opts)
      queueMicrotask(() => opts.success?.({ confirm: options.confirm ?? true }))
    },
    showActionSheet(opts) {
      record('showActionSheet', opts)
      queueMicrotask(() => opts.success?.({ index: choose.shift() ?? -1 }))
    },
    prompt(opts) {
      record('prompt', opts)
      const text = prompts.shift()
      queueMicrotask(() => opts.success?.({ ok: text !== undefined, inputValue: text ?? '' }))
    },
    datePicker(opts) {
      record('datePicker', opts)
      const date = dates.shift()
      queueMicrotask(() =>
        date ? opts.success?.({ date }) : opts.fail?.({ error: 11, errorMessage: '用户取消' }),
      )
    },
    getLocation(opts) {
      record('getLocation', opts)
      queueMicrotask(() =>
        options.location
          ? opts.success?.(options.location)
          : opts.fail?.({ error: 11, errorMessage: '用户拒绝授权' }),
      )
    },
    chooseImage(opts) {
      record('chooseImage', opts)
      const images = options.images
      queueMicrotask(() =>
        images
          ? opts.success?.({ filePaths: images.map((i) => i.path), files: images })
          : opts.fail?.({ error: 11, errorMessage: '用户取消' }),
      )
    },
    getFileInfo(opts) {
      record('getFileInfo', opts)
      queueMicrotask(() => opts.success?.({ size: 1 }))
    },
    uploadFile(opts) {
      record('uploadFile', opts)
      const answer = options.upload?.(opts) ?? 204
      const { status, body } = typeof answer === 'number' ? { status: answer, body: undefined } : answer
      const data = body === undefined ? '' : JSON.stringify(body)
      const listeners: ((p: { progress: number }) => void)[] = []
      queueMicrotask(() => {
        for (const progress of options.uploadProgress ?? []) listeners.forEach((l) => l({ progress }))
        if (status < 300) opts.success?.({ statusCode: status, data })
        else opts.fail?.({ error: 19, errorMessage: `HTTP ${status}`, status, data })
      })
      return { onProgressUpdate: (listener) => void listeners.push(listener) }
    },
    downloadFile(opts) {
      record('downloadFile', opts)
      const status = options.download?.(opts) ?? 200
      queueMicrotask(() =>
        status < 300
          ? opts.success?.({ filePath: 'dd://download/1', statusCode: status })
          : opts.fail?.({ error: 19, errorMessage: `HTTP ${status}` }),
      )
    },
    openDocument(opts) {
      record('openDocument', opts)
      queueMicrotask(() => opts.success?.({}))
    },
    ...(options.file !== false && {
      chooseFile(opts: Parameters<NonNullable<Dd['chooseFile']>>[0]) {
        record('chooseFile', opts)
        const file = options.file
        queueMicrotask(() =>
          file ? opts.success?.({ files: [file] }) : opts.fail?.({ error: 11, errorMessage: '用户取消' }),
        )
      },
    }),
    ...(options.people !== undefined && {
      complexChoose(opts: Parameters<NonNullable<Dd['complexChoose']>>[0]) {
        record('complexChoose', opts)
        const people = options.people
        queueMicrotask(() =>
          people === 'cancel'
            ? opts.fail?.({ error: 11, errorMessage: '用户取消' })
            : people === 'error'
              ? opts.fail?.({ error: 3, errorMessage: '未知错误' })
              : opts.success?.({ users: people!.map((p) => ({ ...p, avatar: '' })), departments: [] }),
        )
      },
    }),
    ...(options.canIUse && {
      canIUse: (key: string) => options.canIUse![key] ?? true,
    }),
    ...(options.clipboard !== false && {
      setClipboard(opts: Parameters<NonNullable<Dd['setClipboard']>>[0]) {
        record('setClipboard', opts)
        queueMicrotask(() => opts.success?.({}))
      },
    }),
    ...(options.openLink !== false && {
      openLink(opts: Parameters<NonNullable<Dd['openLink']>>[0]) {
        record('openLink', opts)
        queueMicrotask(() => opts.success?.({}))
      },
    }),
    setStorageSync(opts) {
      record('setStorageSync', opts)
      storage.set(opts.key, structuredClone(opts.data))
    },
    getStorageSync(opts) {
      return { data: storage.get(opts.key) }
    },
    removeStorageSync(opts) {
      storage.delete(opts.key)
    },
    navigateTo: (opts) => record('navigateTo', opts),
    redirectTo: (opts) => record('redirectTo', opts),
    reLaunch: (opts) => record('reLaunch', opts),
    navigateBack: (opts) => record('navigateBack', opts),
    stopPullDownRefresh: () => record('stopPullDownRefresh', undefined),
    showToast: (opts) => record('showToast', opts),
    showLoading: (opts) => record('showLoading', opts),
    hideLoading: () => record('hideLoading', undefined),
  } satisfies Dd
  return {
    dd,
    calls,
    /** the options of every call to one API */
    callsTo: (api: keyof Dd) => calls.filter((c) => c.api === api).map((c) => c.options),
    /** the requests sent, decoded */
    requests: () =>
      calls
        .filter((c) => c.api === 'httpRequest')
        .map((c) => ({
          method: c.options.method as string,
          url: new URL(c.options.url),
          headers: c.options.headers as Record<string, string>,
        })),
  }
}

export type FakeDd = ReturnType<typeof fakeDd>

type Options = Record<string, any>

/** A page or component as the runtime holds it: `data`, `setData`, and its handlers bound to it. */
export interface HostInstance {
  data: any
  props: any
  setData(patch: object, callback?: () => void): void
  /** calls a handler or lifecycle method (`onLoad`, `onReachBottom`...) and waits for it */
  callMethod(name: string, ...args: unknown[]): Promise<unknown>
}

export function instanceOf(options: Options, props: Options = {}): HostInstance {
  const methods: Options = { ...options, ...(options.methods ?? {}) }
  const instance: HostInstance & Options = {
    data: structuredClone(options.data ?? {}),
    props: { ...(options.props ?? {}), ...props },
    setData(patch, callback) {
      Object.assign(this.data, structuredClone(patch))
      callback?.()
    },
    async callMethod(name, ...args) {
      if (typeof methods[name] !== 'function') throw new Error(`no method ${name}`)
      return methods[name].apply(instance, args)
    },
  }
  for (const [name, value] of Object.entries(methods))
    if (typeof value === 'function' && !(name in instance)) instance[name] = value.bind(instance)
  return instance
}

/**
 * Runs a page or component module (the TypeScript source, as the build bundles it) under a fake host:
 * globals `Page`, `Component`, `App`, `getApp` and `dd` stubbed, modules fresh, so each test starts with
 * no session. Returns the options the module registered.
 */
export async function loadModule(
  modulePath: string,
  dd: Dd,
): Promise<{ kind: 'page' | 'component'; options: Options }> {
  vi.resetModules()
  let registered: { kind: 'page' | 'component'; options: Options } | undefined
  Object.assign(globalThis, {
    dd,
    Page: (options: Options) => (registered = { kind: 'page', options }),
    Component: (options: Options) => (registered = { kind: 'component', options }),
    App: (options: Options) => (registered = { kind: 'page', options }),
    getApp: () => ({ globalData: {} }),
  })
  await import(modulePath)
  if (!registered) throw new Error(`${modulePath} registered no Page or Component`)
  return registered
}

/** Loads a page under the fake host, pointed at `baseUrl`, without calling `onLoad` yet. */
export async function loadPage(
  modulePath: string,
  dd: Dd,
  baseUrl = 'http://api.test',
): Promise<HostInstance> {
  const { options } = await loadModule(modulePath, dd)
  // the same module instance the page imported (modules stay cached until the next loadModule)
  const { configure } = await import('../../miniapp/src/config.js')
  configure({ apiBaseUrl: baseUrl, corpId: 'ding-demo' })
  return instanceOf(options)
}

/** Lets pending callbacks and promise chains run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
