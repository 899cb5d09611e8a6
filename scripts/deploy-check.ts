/**
 * The gate before a deploy (`npm run deploy` runs it first; s.yaml's `pre-deploy` action runs it again
 * for a bare `s deploy`). s.yaml gives each deployment variable a `PREVIEW-ONLY` placeholder so that
 * `s preview` renders the plan offline with nothing set; a deploy needs the real values, so this lists
 * every variable that is still unset and fails.
 */
import { readFileSync } from 'node:fs'

/** what s.yaml falls back to where a deploy needs a real value */
export const PLACEHOLDER = 'PREVIEW-ONLY'

const ENV_CALL = /\$\{env\('([A-Za-z0-9_]+)'(?:\s*,\s*'([^']*)')?\)\}/g

/** Every variable s.yaml reads, and whether a deploy needs it set (no default, or the placeholder). */
export function deploymentVariables(yaml: string): { name: string; required: boolean }[] {
  const found = new Map<string, boolean>()
  for (const [, name, fallback] of yaml.matchAll(ENV_CALL)) {
    const required = fallback === undefined || fallback === PLACEHOLDER
    found.set(name, (found.get(name) ?? false) || required)
  }
  return [...found].map(([name, required]) => ({ name, required }))
}

/** The required variables unset, empty or still the placeholder in `env`. */
export const missingVariables = (yaml: string, env: NodeJS.ProcessEnv = process.env) =>
  deploymentVariables(yaml)
    .filter(({ name, required }) => required && (!env[name] || env[name] === PLACEHOLDER))
    .map(({ name }) => name)

if (import.meta.url === `file://${process.argv[1]}`) {
  const missing = missingVariables(readFileSync('s.yaml', 'utf8'))
  if (missing.length > 0) {
    console.error(
      `deploy refused: set ${missing.join(', ')} (s.yaml has only preview placeholders for them; README "Deploy", step 3)`,
    )
    process.exit(1)
  }
}
