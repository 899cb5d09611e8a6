import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { now } from '../../functions/core/clock.js'
import { buildH5 } from '../../scripts/build-h5.js'
import { useStack, type TestStack } from '../helpers/stack.js'
import { CHROMIUM_ARGS, ensureChromium } from '../setup/chromium.js'

export const SCREENSHOTS = path.resolve('test-output/h5')
export const PHONE = { width: 390, height: 844 }
export const PC = { width: 1440, height: 900 }

/** Debian's headless Chromium through playwright-core (a fresh temporary profile per launch). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), headless: true, args: CHROMIUM_ARGS })
}

/** Everything the page reported as an error: console errors, uncaught exceptions, failed requests. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('requestfailed', (request) => {
    // a navigation cancels the requests still in flight; that is not a failure of the app
    const reason = request.failure()?.errorText ?? ''
    if (reason !== 'net::ERR_ABORTED') errors.push(`requestfailed: ${request.url()} ${reason}`)
  })
  return errors
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true })
}

/** A browser context whose pages run on the server's clock seam (the app's 今天 is the API's). */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', ...options })
  await context.clock.install({ time: now() })
  return context
}

/** A new browser context (phone-size unless said) and page; `errors` fills with what the page reports. */
async function newPage(browser: Browser, viewport = PHONE) {
  const context = await newContext(browser, { viewport })
  const page = await context.newPage()
  return { page, errors: collectErrors(page) }
}

/**
 * Signs a demo user in as a newcomer at a PC would: 钉钉扫码登录, then on DingTalk's page (the emulator's,
 * where the demo users stand in for the QR code) the person who scans.
 */
export async function signInPage(page: Page, baseUrl: string, user: string, name: string) {
  await page.goto(`${baseUrl}/login`)
  await page.getByRole('button', { name: '钉钉扫码登录' }).click()
  await page.locator('.login-users a', { hasText: `· ${user}` }).click()
  await page.locator('.home-name', { hasText: name }).waitFor()
}

/** Taps a button of the dingtalk-design-mobile dialog (Modal.alert / Modal.prompt). */
export const dialogButton = (page: Page, name: string) =>
  page.getByRole('dialog').getByRole('button', { name })

export interface H5 {
  /** the local stack that serves the built app */
  t: TestStack
  /** the folder the app is built into (one per file: files build in parallel) */
  dist: string
  browser: Browser
  /** API tokens of the signed-in `users`, by user id */
  tokens: Record<string, string>
  /** the file's pages by name: each user's signed-in page and those from `open` */
  pages: Record<string, Page>
  url(pathname: string): string
  /** A new page (phone-size unless said) in a new context, not signed in; its errors join the file's. */
  open(key: string, viewport?: typeof PHONE): Promise<Page>
  /** A demo user's page, signed in through the login page; its errors join the file's. */
  signIn(user: string, name: string, viewport?: typeof PHONE): Promise<Page>
  /** A record made through the API as `user`, which must be one of `users`. */
  post(user: string, pathname: string, body: unknown): Promise<Created>
  /** `test-output/h5/<file>-<label>.png` of the page named `key` */
  shot(key: string, label: string): Promise<void>
  /** what every page from `open` and `signIn` reported as an error */
  errors(): string[]
}

type Created = { id: string; version: number; [field: string]: unknown }

/**
 * One test file's H5 app in headless Chromium against the real local stack: builds the app, starts the
 * stack, launches Chromium and signs `users` (user id → name on 工作台) in, both in the browser and
 * through the API; a failed test leaves a screenshot of each page (`<file>-failed-<key>.png`).
 */
export function useH5(file: string, options: { users?: Record<string, string> } = {}): H5 {
  const dist = mkdtempSync(path.join(os.tmpdir(), `h5-${file}-`))
  const t = useStack({ staticDir: dist })
  const collectors: string[][] = []
  const h5: H5 = {
    t,
    dist,
    browser: undefined as unknown as Browser, // launched in beforeAll
    tokens: {},
    pages: {},
    url: (pathname) => t.baseUrl + pathname,
    open: async (key, viewport) => {
      const { page, errors } = await newPage(h5.browser, viewport)
      collectors.push(errors)
      h5.pages[key] = page
      return page
    },
    signIn: async (user, name, viewport) => {
      const page = await h5.open(user, viewport)
      await signInPage(page, t.baseUrl, user, name)
      return page
    },
    post: async (user, pathname, body) => {
      const { status, json } = await t.http('POST', pathname, { token: h5.tokens[user], body })
      if (status !== 201) throw new Error(`${pathname}: ${status} ${JSON.stringify(json)}`)
      return json as Created
    },
    shot: (key, label) => screenshot(h5.pages[key], `${file}-${label}`),
    errors: () => collectors.flat(),
  }

  beforeAll(async () => {
    await buildH5(dist)
    h5.browser = await launchChromium()
    for (const [user, name] of Object.entries(options.users ?? {})) {
      h5.tokens[user] = await t.login(user)
      await h5.signIn(user, name)
    }
  }, 600_000) // a fresh machine without .ci/run installs Chromium here

  // a failed test leaves a picture of where each page stood
  afterEach(async ({ task }) => {
    if (task.result?.state !== 'fail') return
    for (const [key, page] of Object.entries(h5.pages))
      await screenshot(page, `${file}-failed-${key}`).catch(() => undefined)
  })

  afterAll(async () => {
    await h5.browser?.close()
    rmSync(dist, { recursive: true, force: true })
  })

  return h5
}

/**
 * Takes one of a record's actions on its detail: the primary button if it is that one, else the item of
 * 更多 (an action sheet on a phone, a dropdown on a PC).
 */
export async function recordAction(page: Page, name: string): Promise<void> {
  const bar = page.locator('.action-bar')
  await bar.waitFor()
  const primary = bar.locator('.action-primary', { hasText: name })
  if (await primary.count()) return primary.click()
  await bar.getByRole('button', { name: '更多' }).click()
  await page.getByRole('menu', { name: '更多操作' }).getByRole('menuitem', { name }).click()
}
