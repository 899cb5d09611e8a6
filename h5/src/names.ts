import { useEffect, useReducer } from 'react'
import type { Dept, Stage, User } from '../../shared/schemas/index.js'
import type { FieldView, NameLookup, RefCollection } from '../../shared/view/index.js'
import { api } from './api.js'

/**
 * Names of the ids records hold: users, departments and stages (fetched once per page load; the
 * directory of one company fits a few pages), and linked records (fetched one by one, then cached).
 * Screens call `useNames()`; a name arriving later re-renders them.
 */
interface Directory {
  users: User[]
  depts: Dept[]
  stages: Stage[]
}

let directory: Directory | undefined
let directoryLoad: Promise<Directory> | undefined
const recordNames = new Map<string, string>()
const pending = new Set<string>()
const listeners = new Set<() => void>()
const notify = () => listeners.forEach((listener) => listener())

async function allPages<T>(load: (cursor?: string) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const items: T[] = []
  let cursor: string | undefined
  do {
    const page = await load(cursor)
    items.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor && items.length < 2000)
  return items
}

/** The directory and the stages (once; a failed load is tried again on the next call). */
export function loadDirectory(): Promise<Directory> {
  directoryLoad ??= Promise.all([
    allPages((cursor) => api.users.list({ limit: 200, cursor })),
    allPages((cursor) => api.depts.list({ limit: 200, cursor })),
    api.stages.list(),
  ]).then(
    ([users, depts, stages]) => {
      directory = { users, depts, stages: [...stages].sort((a, b) => a.order - b.order) }
      notify()
      return directory
    },
    (error: unknown) => {
      directoryLoad = undefined
      throw error
    },
  )
  return directoryLoad
}

/** Loads the directory and the stages again (after an admin changed them in 设置). */
export function reloadDirectory(): Promise<Directory> {
  directoryLoad = undefined
  return loadDirectory()
}

/** The record-name fetchers, registered by resources.ts (which knows every collection's client). */
type TitleOf = (id: string) => Promise<string>
const titleFetchers = new Map<RefCollection, TitleOf>()
export const registerTitles = (collection: RefCollection, fetchTitle: TitleOf) =>
  titleFetchers.set(collection, fetchTitle)

/** Remembers a record's name (a list or a detail just loaded it). */
export function rememberName(collection: string, id: string, name: string): void {
  if (recordNames.get(`${collection}:${id}`) === name) return
  recordNames.set(`${collection}:${id}`, name)
  notify()
}

function fetchRecordName(collection: RefCollection, id: string): void {
  const key = `${collection}:${id}`
  const fetchTitle = titleFetchers.get(collection)
  if (!fetchTitle || pending.has(key)) return
  pending.add(key)
  fetchTitle(id).then(
    (name) => rememberName(collection, id, name),
    // out of scope or deleted: show the id, do not ask again
    () => rememberName(collection, id, '（无权查看或已删除）'),
  )
}

export const userName = (id: string): string | undefined => directory?.users.find((u) => u.id === id)?.name
export const deptName = (id: string): string | undefined => directory?.depts.find((d) => d.id === id)?.name
export const stageName = (id: string): string | undefined => directory?.stages.find((s) => s.id === id)?.name

/** A name for any id a field holds (undefined while unknown). */
export const lookupName: NameLookup = (field: FieldView, id: string) => {
  switch (field.kind) {
    case 'user':
    case 'users':
      return userName(id)
    case 'dept':
      return deptName(id)
    case 'stage':
      return stageName(id)
    case 'subject':
      return userName(id) ?? deptName(id)
    case 'ref': {
      if (!field.ref) return undefined
      const name = recordNames.get(`${field.ref}:${id}`)
      if (name === undefined) fetchRecordName(field.ref, id)
      return name
    }
    default:
      return undefined
  }
}

/** The lookup, plus a re-render whenever a name arrives; starts loading the directory. */
export function useNames(): { names: NameLookup; directory: Directory | undefined } {
  const [, bump] = useReducer((n: number) => n + 1, 0)
  useEffect(() => {
    listeners.add(bump)
    loadDirectory().catch(() => undefined)
    return () => {
      listeners.delete(bump)
    }
  }, [])
  return { names: lookupName, directory }
}
