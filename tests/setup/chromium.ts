import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/** Debian's Chromium, which playwright-core drives (no browser download). */
export const CHROMIUM = '/usr/bin/chromium'
/** a Chinese font, so the screenshots show 中文 rather than empty boxes */
const CJK_FONT = '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

/**
 * Installs Debian's `chromium` (and `fonts-wqy-zenhei`) when missing; CI runs as root on a fresh machine.
 * `.ci/run` installs them before the suite, so this is the fallback for a plain `npm test` on a new machine.
 */
export function ensureChromium(): string {
  const missing = [
    existsSync(CHROMIUM) ? undefined : 'chromium',
    existsSync(CJK_FONT) ? undefined : 'fonts-wqy-zenhei',
  ].filter(Boolean)
  if (missing.length === 0) return CHROMIUM
  execFileSync('sh', ['-c', `apt-get update -qq && apt-get install -y -qq ${missing.join(' ')}`], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: 'inherit',
  })
  if (!existsSync(CHROMIUM)) throw new Error(`安装 chromium 后仍找不到 ${CHROMIUM}`)
  return CHROMIUM
}

// `tsx tests/setup/chromium.ts` installs them by hand.
if (import.meta.url === `file://${process.argv[1]}`) console.log(ensureChromium())
