import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
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

/**
 * A new browser context for a demo user, signed in through the login page as a newcomer would; `errors`
 * fills with what the page reports from the first navigation on.
 */
export async function signInAs(browser: Browser, baseUrl: string, user: string, name: string) {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN' })
  const page = await context.newPage()
  const errors = collectErrors(page)
  await page.goto(`${baseUrl}/login`)
  await page.locator('.login-users .dtm-list-item', { hasText: `· ${user}` }).click()
  await page.locator('.home-name', { hasText: name }).waitFor()
  return { page, errors }
}

/** Taps a button of the dingtalk-design-mobile dialog (Modal.alert / Modal.prompt). */
export const dialogButton = (page: Page, name: string) =>
  page.getByRole('dialog').getByRole('button', { name })
