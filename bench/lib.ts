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
 * Runs the sides alternately (each once per round, in order), so all see the same machine state, after
 * a warm-up. Returns each side's median in ms.
 */
export async function alternately<K extends string>(
  iterations: number,
  sides: Record<K, (i: number) => Promise<unknown>>,
): Promise<Record<K, number>> {
  const entries = Object.entries(sides) as [K, (i: number) => Promise<unknown>][]
  for (let i = 0; i < 20; i++) for (const [, side] of entries) await side(-1 - i)
  const samples = entries.map(() => [] as number[])
  for (let i = 0; i < iterations; i++)
    for (const [k, [, side]] of entries.entries()) samples[k].push(await time(() => side(i)))
  return Object.fromEntries(entries.map(([name], k) => [name, median(samples[k])])) as Record<K, number>
}

/** Ours and a baseline alternately (`alternately`): the medians in ms and their ratio. */
export async function sideBySide(
  iterations: number,
  ours: (i: number) => Promise<unknown>,
  baseline: (i: number) => Promise<unknown>,
): Promise<{ ours: number; baseline: number; ratio: number }> {
  const medians = await alternately(iterations, { ours, baseline })
  return { ...medians, ratio: medians.ours / medians.baseline }
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
