import type { ApiClient } from '../api/client.js'
import { NamedCollection, type Dept, type Stage, type User } from '../schemas/index.js'
import { recordClient, type ListFilter } from './clients.js'
import type { FieldView, NameLookup } from './record-view.js'
import { recordViews, type ViewCollection } from './registry.js'

/**
 * Names of the ids records hold, for both apps: users, departments and stages (every page of the
 * directory, once per app start: one company's directory fits a few pages) and linked records (fetched
 * one by one, then kept), so a screen shows 王靓依 rather than `sales1`.
 */
export interface Directory {
  users: User[]
  depts: Dept[]
  stages: Stage[]
}

/** an entry of a picker */
export interface Named {
  id: string
  name: string
}

/** what a linked record is called when the caller may not read it */
const UNREADABLE = '（无权查看或已删除）'

/** Every page of a directory list (at most 2 000 entries). */
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

const isViewCollection = (name: string): name is ViewCollection => Object.hasOwn(recordViews, name)
const isNamedCollection = (name: string): name is NamedCollection => NamedCollection.safeParse(name).success

export function createNames(api: ApiClient) {
  let directory: Directory | undefined
  let directoryLoad: Promise<Directory> | undefined
  const recordNames = new Map<string, string>()
  const pending = new Map<string, Promise<void>>()
  const listeners = new Set<() => void>()
  const changed = () => listeners.forEach((listener) => listener())

  /** The directory and the stages (once; a failed load is tried again on the next call). */
  function loadDirectory(): Promise<Directory> {
    directoryLoad ??= Promise.all([
      allPages((cursor) => api.users.list({ limit: 200, cursor })),
      allPages((cursor) => api.depts.list({ limit: 200, cursor })),
      api.stages.list(),
    ]).then(
      ([users, depts, stages]) => {
        directory = { users, depts, stages: [...stages].sort((a, b) => a.order - b.order) }
        changed()
        return directory
      },
      (error: unknown) => {
        directoryLoad = undefined
        throw error
      },
    )
    return directoryLoad
  }

  /** Remembers a record's name (a list or a detail just loaded it). */
  function rememberName(collection: string, id: string, name: string): void {
    if (recordNames.get(`${collection}:${id}`) === name) return
    recordNames.set(`${collection}:${id}`, name)
    changed()
  }

  /** Names asked for in the same tick, fetched together (`GET /api/names`: one call per list page). */
  let batch:
    { refs: Map<string, { collection: NamedCollection; id: string }>; done: Promise<void> } | undefined

  function fetchBatched(collection: NamedCollection, id: string): Promise<void> {
    if (!batch) {
      const refs = new Map<string, { collection: NamedCollection; id: string }>()
      const done = Promise.resolve().then(async () => {
        batch = undefined
        const asked = [...refs.values()]
        for (let i = 0; i < asked.length; i += 100) {
          const chunk = asked.slice(i, i + 100)
          const { items } = await api.names.find({
            refs: chunk.map((ref) => `${ref.collection}:${ref.id}`).join(','),
          })
          for (const { collection: c, id: found, name } of items) rememberName(c, found, name)
          // out of scope or deleted: say so, do not ask again
          for (const ref of chunk)
            if (!recordNames.has(`${ref.collection}:${ref.id}`))
              rememberName(ref.collection, ref.id, UNREADABLE)
        }
      })
      batch = { refs, done }
    }
    batch.refs.set(`${collection}:${id}`, { collection, id })
    return batch.done
  }

  /** Fetches a linked record's name once: by batch where the API names it, else its view's title. */
  function fetchRecordName(collection: string, id: string): Promise<void> {
    const key = `${collection}:${id}`
    if (!isViewCollection(collection)) return Promise.resolve()
    if (!pending.has(key))
      pending.set(
        key,
        isNamedCollection(collection)
          ? fetchBatched(collection, id).catch(() => void pending.delete(key))
          : recordClient(api, collection)
              .get(id)
              .then(
                (record) => rememberName(collection, id, recordViews[collection].title(record as never)),
                () => rememberName(collection, id, UNREADABLE),
              ),
      )
    return pending.get(key)!
  }

  const userName = (id: string) => directory?.users.find((u) => u.id === id)?.name
  const deptName = (id: string) => directory?.depts.find((d) => d.id === id)?.name
  const stageName = (id: string) => directory?.stages.find((s) => s.id === id)?.name

  /** A name for any id a field holds (undefined while unknown: a linked record's is then fetched). */
  const nameOf: NameLookup = (field: FieldView, id: string) => {
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
        if (name === undefined) void fetchRecordName(field.ref, id)
        return name
      }
      default:
        return undefined
    }
  }

  /** Fetches what a record's fields need to be shown by name (failures leave the ids showing). */
  async function loadNames(fields: readonly FieldView[], record: Record<string, unknown>): Promise<void> {
    const work: Promise<unknown>[] = []
    for (const field of fields) {
      const value = record[field.name]
      const ids = (Array.isArray(value) ? value : [value]).filter(
        (v): v is string => typeof v === 'string' && v !== '',
      )
      if (!ids.length) continue
      if (field.kind === 'ref' && field.ref)
        for (const id of ids)
          if (!recordNames.has(`${field.ref}:${id}`)) work.push(fetchRecordName(field.ref, id))
      if (['user', 'users', 'dept', 'stage', 'subject'].includes(field.kind)) work.push(loadDirectory())
    }
    await Promise.allSettled(work)
  }

  /**
   * What a picker for `field` offers: active users, departments, stages, or up to 50 recent records of a
   * `ref` collection (those of the form's customer when the field is `scopeBy` it).
   */
  async function choicesFor(field: FieldView, values: Record<string, unknown> = {}): Promise<Named[]> {
    const kind = field.kind === 'subject' ? (values.scope === 'dept' ? 'dept' : 'user') : field.kind
    if (kind === 'user' || kind === 'users')
      return (await loadDirectory()).users.filter((u) => u.active).map(({ id, name }) => ({ id, name }))
    if (kind === 'dept') return (await loadDirectory()).depts.map(({ id, name }) => ({ id, name }))
    if (kind === 'stage') return (await loadDirectory()).stages.map(({ id, name }) => ({ id, name }))
    if (kind !== 'ref' || !field.ref) return []
    const { ref } = field
    const filter: ListFilter = { limit: 50 }
    if (field.scopeBy && typeof values[field.scopeBy] === 'string')
      filter[field.scopeBy] = values[field.scopeBy] as string
    const page = await recordClient(api, ref).list(filter)
    return page.items.map((record) => {
      const name = recordViews[ref].title(record as never)
      rememberName(ref, record.id, name)
      return { id: record.id, name }
    })
  }

  return {
    loadDirectory,
    /** Loads the directory and the stages again (after an admin changed them in 设置). */
    reloadDirectory(): Promise<Directory> {
      directoryLoad = undefined
      return loadDirectory()
    },
    directory: () => directory,
    userName,
    deptName,
    stageName,
    nameOf,
    loadNames,
    choicesFor,
    rememberName,
    /** Calls `listener` whenever a name arrives; returns the unsubscribe. */
    onChange(listener: () => void): () => void {
      listeners.add(listener)
      return () => void listeners.delete(listener)
    },
  }
}

export type Names = ReturnType<typeof createNames>
