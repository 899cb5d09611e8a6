import { config } from './config.js'
import { currentRequest } from './context.js'

type Level = 'debug' | 'info' | 'warn' | 'error'
const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/** Structured JSON logs, one line each, tagged with the request id. */
export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (order[level] < (order[config.logLevel() as Level] ?? 20)) return
  const line = JSON.stringify({
    level,
    time: new Date().toISOString(),
    requestId: currentRequest()?.requestId,
    message,
    ...fields,
  })
  if (level === 'error' || level === 'warn') process.stderr.write(line + '\n')
  else process.stdout.write(line + '\n')
}
