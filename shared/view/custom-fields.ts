import { customSchema, type FieldCollection, type SavedField } from '../schemas/fields.js'
import type {
  DateFilterView,
  FieldKind,
  FieldView,
  FilterView,
  PickFilterView,
  RecordView,
} from './record-view.js'

/**
 * 字段管理 in both apps: a collection's view with the tenant's definitions applied — built-in fields
 * relabelled and their choice lists as edited (a disabled choice still names the records that hold it,
 * but is not offered), custom fields in use appended to the form and detail (name `custom.<key>`), as PC
 * columns where `showInList`, as filters (choices, yes/no, person, department; dates as ranges).
 */

export const CUSTOM = 'custom.'
export const isCustom = (name: string) => name.startsWith(CUSTOM)
export const customKey = (name: string) => name.slice(CUSTOM.length)
/**
 * The form field a path names (a zod issue's, an API error's): its first segment (`attachments.1` →
 * `attachments`), the first two for a custom field (`custom.cf_x.0` → `custom.cf_x`).
 */
export const fieldNameOf = (path: readonly PropertyKey[]): string =>
  path[0] === 'custom' && path.length > 1 ? `${CUSTOM}${String(path[1])}` : String(path[0] ?? '')

const KINDS: Record<SavedField['type'], FieldKind> = {
  text: 'text',
  textarea: 'textarea',
  number: 'number',
  money: 'money',
  date: 'date',
  datetime: 'datetime',
  select: 'enum',
  multiselect: 'multiselect',
  boolean: 'boolean',
  user: 'user',
  dept: 'dept',
  phone: 'phone',
  email: 'text',
  url: 'text',
  attachments: 'attachments',
}

const labels = (field: SavedField, { offered = false } = {}) =>
  Object.fromEntries(
    (field.options ?? []).filter((o) => !offered || !o.disabled).map((o) => [o.value, o.label]),
  )

/** A custom field as a form and detail field. */
export function customFieldView(field: SavedField): FieldView {
  return {
    name: `${CUSTOM}${field.key}`,
    label: field.label,
    kind: KINDS[field.type],
    required: field.required,
    ...(field.options && { options: labels(field), offered: labels(field, { offered: true }) }),
    ...(field.type === 'boolean' && { initial: false }),
    placeholder:
      field.type === 'email' ? '邮箱地址' : field.type === 'url' ? 'https://' : `请输入${field.label}`,
    custom: field,
  }
}

/** The collection's view with the definitions applied (none: the view as it is). */
export function withFields<R extends { id: string }>(
  view: RecordView<R>,
  fields: readonly SavedField[] | undefined,
): RecordView<R> {
  if (!fields?.length) return view
  const byKey = new Map(fields.filter((f) => f.builtIn).map((f) => [f.key, f]))
  const own = view.fields.map((f) => {
    const def = byKey.get(f.name)
    if (!def) return f
    return {
      ...f,
      label: def.label,
      ...(def.options &&
        (f.kind === 'enum' || f.kind === 'text') && {
          kind: 'enum' as const,
          options: labels(def),
          offered: labels(def, { offered: true }),
        }),
    }
  })
  const custom = fields
    .filter((f) => !f.builtIn && !f.removed)
    .sort((a, b) => a.order - b.order)
    .map(customFieldView)
  const relabel = (filter: FilterView): FilterView => {
    const def = byKey.get(filter.name)
    return def?.options ? { ...filter, label: def.label, options: labels(def) } : filter
  }
  const filters: FilterView[] = custom
    .filter((f) => f.kind === 'enum' || f.kind === 'boolean' || f.kind === 'multiselect')
    .map((f) => ({
      name: f.name,
      label: f.label,
      options: f.kind === 'boolean' ? { true: '是', false: '否' } : (f.options ?? {}),
    }))
  const picks: PickFilterView[] = custom
    .filter((f) => f.kind === 'user' || f.kind === 'dept')
    .map((f) => ({ name: f.name, label: f.label, kind: f.kind as 'user' | 'dept' }))
  const dates: DateFilterView[] = custom
    .filter((f) => f.kind === 'date')
    .map((f) => ({ label: f.label, from: `${f.name}From`, to: `${f.name}To`, presets: 'past' }))
  return {
    ...view,
    fields: [...own, ...custom],
    columns: [...view.columns, ...custom.filter((f) => f.custom?.showInList).map((f) => f.name)],
    filters: [...(view.filters ?? []).map(relabel), ...filters],
    pickFilters: [...(view.pickFilters ?? []), ...picks],
    dateFilters: [...(view.dateFilters ?? []), ...dates],
    custom: fields,
  }
}

/** The definitions' collection of a view (公海 is customers). */
export const fieldCollectionOf = (collection: string): FieldCollection | undefined =>
  collection === 'pool'
    ? 'customers'
    : ([
        'leads',
        'customers',
        'contacts',
        'followups',
        'opportunities',
        'contracts',
        'payment-plans',
        'payments',
        'invoices',
        'products',
      ].find((c) => c === collection) as FieldCollection | undefined)

/** A record's value of a field: its own attribute, or its custom value (money yuan → fen, as elsewhere here). */
export function valueOf(record: Record<string, unknown> | undefined, field: FieldView): unknown {
  if (!record) return undefined
  if (!isCustom(field.name)) return record[field.name]
  const value = (record.custom as Record<string, unknown> | undefined)?.[customKey(field.name)]
  return field.kind === 'money' && typeof value === 'number' ? Math.round(value * 100) : value
}

/**
 * The custom part of a form's wire values, checked with the definitions (errors by field name), as the
 * API takes it (money in yuan). `partial`: an edit, where emptied optional fields go as `null`.
 */
export function checkCustomValues(
  view: RecordView<{ id: string }>,
  wire: Record<string, unknown>,
  { partial, cleared }: { partial: boolean; cleared: string[] },
): { custom?: Record<string, unknown>; errors: Record<string, string> } {
  const fields = view.custom ?? []
  const custom: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(wire))
    if (isCustom(name) && value !== undefined) custom[customKey(name)] = value
  for (const name of cleared) custom[customKey(name)] = null
  const result = customSchema(fields, { partial }).safeParse(custom)
  const errors: Record<string, string> = {}
  if (!result.success)
    for (const issue of result.error.issues) errors[fieldNameOf(['custom', ...issue.path])] ??= issue.message
  return { custom: Object.keys(custom).length ? custom : undefined, errors }
}
