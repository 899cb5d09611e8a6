import { beforeAll, expect } from 'vitest'
import type { Session } from '../../functions/core/context.js'
import { MergeInterrupted, mergeCustomers } from '../../functions/domain/customers/merge.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'

/** sales1 as the domain functions see it, for merges run (and stopped) below the API */
export const sales1: Session = {
  tenantId: DEMO_CORP_ID,
  userId: 'sales1',
  name: '王靓依',
  role: 'member',
  deptIds: ['201'],
  scopeDeptIds: [],
}

export type MergeInput = { targetId: string; sourceIds: string[]; fields: Record<string, string> }

/**
 * The setup the 客户合并 tests share: a stack of the file's own, `users` logged in through the emulator,
 * calls as each of them, and the two customers of a merge.
 */
export function useMergeFixture(users: string[]) {
  const t = useStack()
  const tokens: Record<string, string> = {}

  beforeAll(async () => {
    for (const user of users) tokens[user] = await t.login(user)
  })

  const as = (user: string) => ({
    get: (path: string) => t.http('GET', path, { token: tokens[user] }),
    post: (path: string, body: unknown = {}) => t.http('POST', path, { token: tokens[user], body }),
    put: (path: string, body: unknown) => t.http('PUT', path, { token: tokens[user], body }),
    /** a record made through the API; anything but 201 stops the test */
    created: async (path: string, body: unknown) => {
      const res = await t.http('POST', path, { token: tokens[user], body })
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${res.text}`)
      return res.json as { id: string; version: number }
    },
  })

  /** A target and a source customer of `user` (a name, or the whole body). */
  async function customersToMerge(target: string | object, source: string | object, user = 'sales1') {
    const body = (customer: string | object) => (typeof customer === 'string' ? { name: customer } : customer)
    return {
      target: await as(user).created('/api/customers', body(target)),
      source: await as(user).created('/api/customers', body(source)),
    }
  }

  return { t, as, customersToMerge }
}

/** The input merging `source` into `target`, no fields taken from the source. */
export const mergeInput = (target: { id: string }, source: { id: string }): MergeInput => ({
  targetId: target.id,
  sourceIds: [source.id],
  fields: {},
})

/** Runs the merge as sales1 until `stopAfter` children have moved, then "crashes". */
export async function stopMergeAfter(input: MergeInput, stopAfter: number) {
  await expect(mergeCustomers(sales1, input, { stopAfter })).rejects.toBeInstanceOf(MergeInterrupted)
}
