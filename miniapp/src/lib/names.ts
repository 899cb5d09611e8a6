import { Money } from '../../../shared/schemas/common.js'
import { formatMoney } from '../../../shared/view/format.js'
import type { FieldView, NameLookup } from '../../../shared/view/record-view.js'
import { api } from '../api/session.js'

/**
 * Names of the ids records hold (users, departments, stages, linked records), fetched once and kept for
 * the app's life, so a detail or form shows 王靓依 rather than `sales1`.
 */
export interface Choice {
  id: string
  name: string
}

type Source = 'user' | 'dept' | 'stage' | string

const names = new Map<string, string>()
const loaded = new Set<Source>()
const key = (source: Source, id: string) => `${source}:${id}`

/** where a field's ids come from: a directory list, the stages, or a collection (`ref`) */
function sourcesOf(field: FieldView, values: Record<string, unknown> = {}): Source[] {
  if (field.kind === 'users') return ['user']
  if (field.kind === 'subject') return [values.scope === 'dept' ? 'dept' : 'user']
  if (field.kind === 'ref') return field.ref ? [field.ref] : []
  return ['user', 'dept', 'stage'].includes(field.kind) ? [field.kind] : []
}

/**
 * A linked record's name, whatever its collection calls it. The record is the API's raw JSON (read
 * without its schema), so a plan's amount is still yuan: decoded to fen for `formatMoney`.
 */
function recordName(record: Record<string, unknown>): string {
  const name = record.name ?? record.title ?? record.number
  if (typeof name === 'string') return name
  if (typeof record.dueDate === 'string') {
    const amount = Money.safeParse(record.amount)
    return `${record.dueDate} ${amount.success ? formatMoney(amount.data) : '—'}`
  }
  return String(record.id)
}

async function loadList(source: Source): Promise<Choice[]> {
  const client = api()
  if (source === 'user') return (await client.users.list({ limit: 200 })).items.filter((u) => u.active)
  if (source === 'dept') return (await client.depts.list({ limit: 200 })).items
  if (source === 'stage') return await client.stages.list()
  return []
}

function remember(source: Source, choices: Choice[]): Choice[] {
  for (const c of choices) names.set(key(source, c.id), c.name)
  return choices
}

/**
 * What a picker for `field` offers: users, departments, stages, or up to 50 recent records of a `ref`
 * collection (among those of the form's customer when the field is `scopeBy` it).
 */
export async function choicesFor(field: FieldView, values: Record<string, unknown> = {}): Promise<Choice[]> {
  const [source] = sourcesOf(field, values)
  if (!source) return []
  if (field.kind !== 'ref') {
    const choices = remember(source, await loadList(source))
    loaded.add(source)
    return choices
  }
  const query: Record<string, string | number> = { limit: 50 }
  if (field.scopeBy && typeof values[field.scopeBy] === 'string')
    query[field.scopeBy] = values[field.scopeBy] as string
  const page = await api().request<{ items: Record<string, unknown>[] }>('GET', `/api/${source}`, { query })
  return remember(
    source,
    page.items.map((r) => ({ id: String(r.id), name: recordName(r) })),
  )
}

/** Fetches the names a record's fields need that are not known yet (failures leave the ids showing). */
export async function loadNames(
  fields: readonly FieldView[],
  record: Record<string, unknown>,
): Promise<void> {
  const work: Promise<unknown>[] = []
  for (const field of fields) {
    const value = record[field.name]
    const ids = (Array.isArray(value) ? value : [value]).filter(
      (v): v is string => typeof v === 'string' && v !== '',
    )
    for (const source of sourcesOf(field, record)) {
      const missing = ids.filter((id) => !names.has(key(source, id)))
      if (!missing.length) continue
      if (field.kind !== 'ref' && !loaded.has(source)) {
        loaded.add(source)
        work.push(
          loadList(source).then(
            (list) => remember(source, list),
            () => loaded.delete(source),
          ),
        )
      } else if (field.kind === 'ref')
        for (const id of missing)
          work.push(
            api()
              .request<Record<string, unknown>>('GET', `/api/${source}/${encodeURIComponent(id)}`)
              .then((r) => names.set(key(source, id), recordName(r))),
          )
    }
  }
  await Promise.allSettled(work)
}

/** The shared `displayValue`'s lookup. */
export const nameOf: NameLookup = (field, id) => {
  for (const source of sourcesOf(field)) {
    const name = names.get(key(source, id))
    if (name) return name
  }
  // a subject without its record's scope: either directory
  return names.get(key('user', id)) ?? names.get(key('dept', id))
}

/** Names learnt elsewhere (a customer just loaded by its detail page). */
export const rememberName = (source: Source, id: string, name: string) =>
  void names.set(key(source, id), name)
