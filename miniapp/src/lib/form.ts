import type * as z from 'zod'
import { fenToYuanText, formatBoolean, formatMoney } from '../../../shared/view/format.js'
import type { FieldConfig } from '../modules/types.js'

/** A form field as the template shows it: text inputs hold text, switches booleans. */
export interface FormFieldView {
  name: string
  label: string
  type: FieldConfig['type']
  placeholder: string
  required: boolean
  value: string | boolean
  error: string
}

/** A record's value as the form starts with it (money in fen → yuan text). */
export function formValue(field: FieldConfig, value: unknown): string | boolean {
  if (field.type === 'switch') return value === undefined ? (field.initial ?? false) : Boolean(value)
  if (field.type === 'money') return typeof value === 'number' ? fenToYuanText(value) : ''
  return value === undefined || value === null ? '' : String(value)
}

export const formFields = (fields: FieldConfig[], record: Record<string, unknown> = {}): FormFieldView[] =>
  fields.map((field) => ({
    name: field.name,
    label: field.label,
    type: field.type,
    placeholder: field.placeholder ?? '',
    required: field.required ?? false,
    value: formValue(field, record[field.name]),
    error: '',
  }))

/** The text on the detail page. */
export function displayValue(field: FieldConfig, value: unknown): string {
  if (field.display) return field.display(value)
  if (field.type === 'money') return formatMoney(value as number | undefined)
  if (field.type === 'switch') return formatBoolean(value as boolean | undefined)
  return value === undefined || value === null || value === '' ? '—' : String(value)
}

const MONEY_TEXT = /^\d+(\.\d+)?$/

/**
 * Checks the form with the module's shared input schema, exactly as the API will: either the value to
 * send (money already in fen) or a message per field.
 */
export function readForm<I>(
  schema: z.ZodType<I>,
  fields: FormFieldView[],
): { ok: true; value: I } | { ok: false; errors: Record<string, string> } {
  const raw: Record<string, unknown> = {}
  const errors: Record<string, string> = {}
  for (const field of fields) {
    if (field.type === 'switch') raw[field.name] = field.value === true
    else {
      const text = String(field.value).trim()
      // a required field left empty still goes in, so the schema's own message (请填写…) shows
      if (text === '' && !field.required) continue
      if (field.type === 'money' && !MONEY_TEXT.test(text)) errors[field.name] = '请输入金额，如 1999.90'
      else raw[field.name] = field.type === 'money' ? Number(text) : text
    }
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '')
      errors[name] ??= issue.message
    }
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors }
  return { ok: true, value: parsed.data }
}
