import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { functionForPath, functions, type FunctionName } from '../../functions/registry.js'
import { contract, routesOf } from '../../shared/contract/index.js'

/**
 * One declaration per route (shared/contract): each declared route is served by the function the
 * registry routes its path to, and each function serves only declared routes.
 */
const key = ({ method, path }: { method: string; path: string }) => `${method} ${path}`

const served = async () => {
  const routes: { route: string; fn: FunctionName }[] = []
  for (const [fn, { load }] of Object.entries(functions)) {
    for (const route of (await load()).handler.routes)
      routes.push({ route: key(route), fn: fn as FunctionName })
  }
  return routes
}

describe('the contract', () => {
  it('declares each route once', () => {
    const declared = routesOf(contract).map(key)
    expect(declared.length).toBeGreaterThan(100)
    expect(new Set(declared).size).toBe(declared.length)
  })

  it('is served route for route, each by the function the registry sends its path to', async () => {
    const declared = routesOf(contract).map((route) => ({
      route: key(route),
      fn: functionForPath(route.path),
    }))
    const byRoute = (a: { route: string }, b: { route: string }) => a.route.localeCompare(b.route)
    expect((await served()).sort(byRoute)).toEqual(declared.sort(byRoute))
  })

  it('leaves the client no path of its own', () => {
    expect(readFileSync('shared/api/client.ts', 'utf8')).not.toMatch(/['"`]\/api\//)
  })
})
