import type * as z from 'zod'
import { fenToYuanText, formatBoolean, formatDate, formatDateTime, formatMoney } from './format.js'
import { labelOf } from './labels.js'

/**
 * How a collection's records are shown and edited, declared once for both apps: the fields of its form and
 * detail, the columns of its PC table, its filters. Validation is the shared zod input schema itself.
 */
export type FieldKind = 'text' | 'textarea' | 'money' | 'boolean' | 'enum' | 'date' | 'datetime'

export interface FieldView {
  name: string
  label: string
  kind: FieldKind
  /** labels of the values, for `enum` and `boolean` fields */
  options?: Readonly<Record<string, string>>
  placeholder?: string
  /** marks the field as required in the form (the schema decides; this only draws the asterisk) */
  required?: boolean
  /** shown in the detail but not in the form (derived or read-only fields) */
  readOnly?: boolean
}

export interface FilterView {
  name: string
  label: string
  /** value → label; the UI adds 全部 */
  options: Readonly<Record<string, string>>
}

export interface RecordView<R extends { id: string } = { id: string } & Record<string, unknown>> {
  /** URL name: `/api/<collection>` and the app's route */
  collection: string
  /** 产品, 竞争对手 ... */
  noun: string
  title(record: R): string
  /** the second line of a phone list row */
  brief?(record: R): string
  /** form and detail fields, in order */
  fields: readonly FieldView[]
  /** PC table columns (field names; meta fields `createdAt`/`updatedAt` allowed) */
  columns: readonly string[]
  filters?: readonly FilterView[]
  searchPlaceholder: string
  /** the create schema (wire values in: yuan; internal values out: fen) */
  input: z.ZodObject
}

/** Meta fields every record has, for details and table columns. */
export const metaFields: readonly FieldView[] = [
  { name: 'createdAt', label: '创建时间', kind: 'datetime', readOnly: true },
  { name: 'updatedAt', label: '更新时间', kind: 'datetime', readOnly: true },
]

export const fieldOf = <R extends { id: string }>(view: RecordView<R>, name: string): FieldView | undefined =>
  view.fields.find((f) => f.name === name) ?? metaFields.find((f) => f.name === name)

/** A record's value as text (money in fen → '¥1,999.90'). */
export function displayValue(field: FieldView, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—'
  switch (field.kind) {
    case 'money':
      return formatMoney(value as number)
    case 'boolean':
      return field.options ? labelOf(field.options, value) : formatBoolean(value as boolean)
    case 'enum':
      return labelOf(field.options ?? {}, value)
    case 'date':
      return formatDate(value as string)
    case 'datetime':
      return formatDateTime(value as string)
    default:
      return String(value)
  }
}

/** What a form control holds: text for inputs, a boolean for switches. */
export type FormValue = string | boolean
export type FormValues = Record<string, FormValue>

/** The form's starting values: a record's (money fen → yuan text) or the empty form. */
export function formValues<R extends { id: string }>(
  view: RecordView<R>,
  record?: Record<string, unknown>,
): FormValues {
  const values: FormValues = {}
  for (const field of view.fields) {
    if (field.readOnly) continue
    const value = record?.[field.name]
    if (field.kind === 'boolean') values[field.name] = value === undefined ? true : Boolean(value)
    else if (field.kind === 'money') values[field.name] = fenToYuanText(value as number | undefined)
    else values[field.name] = value === undefined || value === null ? '' : String(value)
  }
  return values
}

/** A control's value as the API's wire value: '' → absent, money text → a yuan number (if it is one). */
function wireValue(field: FieldView, value: FormValue | undefined): unknown {
  if (typeof value === 'boolean') return value
  const text = (value ?? '').trim()
  // an empty required field goes as '' so the schema answers with its own message (请填写…)
  if (text === '') return field.required ? '' : undefined
  if (field.kind === 'money') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text
  return value
}

export type FormCheck =
  { ok: true; value: Record<string, unknown> } | { ok: false; errors: Record<string, string> }

/**
 * Validates the form with the collection's shared zod schema. On success `value` holds internal values
 * (fen) ready for the API client; otherwise one Chinese message per field.
 */
export function checkForm<R extends { id: string }>(view: RecordView<R>, values: FormValues): FormCheck {
  const wire = Object.fromEntries(
    view.fields.filter((f) => !f.readOnly).map((f) => [f.name, wireValue(f, values[f.name])]),
  )
  const result = view.input.safeParse(wire)
  if (result.success) return { ok: true, value: result.data as Record<string, unknown> }
  const errors: Record<string, string> = {}
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? '')
    errors[name] ??= issue.message
  }
  return { ok: false, errors }
}
