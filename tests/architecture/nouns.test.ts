/**
 * The registry of record types (shared/nouns.ts) is what the code serves and shows: each noun's list,
 * its 评论/赞 and 动态 routes exactly where the registry says so, and the mini-program pages cards open.
 */
import { existsSync } from 'node:fs'
import { beforeAll, describe, expect, it } from 'vitest'
import { functions } from '../../functions/registry.js'
import { collectionOf, collections, miniPage, nouns, recordLink } from '../../shared/nouns.js'

const served = new Set<string>()

beforeAll(async () => {
  for (const fn of Object.values(functions)) {
    for (const { method, path } of (await fn.load()).handler.routes) served.add(`${method} ${path}`)
  }
})

describe('the registry of record types', () => {
  it('names collections the API lists and reads', () => {
    const missing = collections.flatMap((c) =>
      [`GET /api/${c}`, `GET /api/${c}/{id}`].filter((route) => !served.has(route)),
    )
    expect(missing).toEqual([])
  })

  it('says which collections have 评论 and 赞, and they are exactly the ones served', () => {
    const social = collections.filter((c) => served.has(`POST /api/${c}/{id}/comments`))
    expect(social).toEqual(collections.filter((c) => nouns[c].social))
  })

  it('says which collections have 动态, and they are exactly the ones served', () => {
    const timeline = collections.filter((c) => served.has(`GET /api/${c}/{id}/timeline`))
    expect(timeline).toEqual(collections.filter((c) => nouns[c].timeline))
  })

  it('links every record type to a mini-program detail page that exists', () => {
    const absent = collections.map((c) => `miniapp/src/${miniPage(c)}.ts`).filter((file) => !existsSync(file))
    expect(absent).toEqual([])
  })

  it('builds a card link from a record type and id', () => {
    expect(recordLink('payment-plans', 'p1', { reminderId: 'r1' })).toEqual({
      page: 'pages/payment-plan/detail',
      query: { id: 'p1', reminderId: 'r1' },
    })
    expect(collectionOf('followup')).toBe('followups')
  })
})
