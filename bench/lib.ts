import { performance } from 'node:perf_hooks'

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

export async function time(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await fn()
  return performance.now() - started
}

/**
 * Runs the two sides alternately (ours, then the baseline), so both see the same machine state,
 * after a warm-up. Returns the medians in ms.
 */
export async function sideBySide(
  iterations: number,
  ours: (i: number) => Promise<unknown>,
  baseline: (i: number) => Promise<unknown>,
): Promise<{ ours: number; baseline: number; ratio: number }> {
  for (let i = 0; i < 20; i++) {
    await ours(-1 - i)
    await baseline(-1 - i)
  }
  const a: number[] = []
  const b: number[] = []
  for (let i = 0; i < iterations; i++) {
    a.push(await time(() => ours(i)))
    b.push(await time(() => baseline(i)))
  }
  const result = { ours: median(a), baseline: median(b), ratio: 0 }
  result.ratio = result.ours / result.baseline
  return result
}

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n${title}`)
  console.table(rows)
}

export const ms = (value: number) => `${value.toFixed(2)} ms`

/** A request as Function Compute 3's HTTP trigger delivers it: benches call handlers with it directly. */
export const fc3 = (
  token: string,
  method: string,
  path: string,
  body?: unknown,
  query: Record<string, string> = {},
) =>
  Buffer.from(
    JSON.stringify({
      version: 'v1',
      rawPath: path,
      body: body === undefined ? '' : JSON.stringify(body),
      isBase64Encoded: false,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      queryParameters: query,
      requestContext: { requestId: 'bench', http: { method, path } },
    }),
  )
