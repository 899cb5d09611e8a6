import { labelOf } from '../../../shared/view/labels.js'
import {
  checkForm,
  displayValue,
  formFields as shownFields,
  formValues,
  placeErrors,
  saveErrors,
  type FieldView,
  type FormErrors,
  type FormValue,
  type FormValues,
  type RecordView,
} from '../../../shared/view/record-view.js'
import { nameOf } from './names.js'

/**
 * A form field as the template shows it, made from the shared `FieldView`: inputs hold text, switches a
 * boolean, `months` twelve texts; picker rows (enum, dates, users, records, location) show `text`.
 */
export interface FormFieldView {
  name: string
  label: string
  kind: FieldView['kind']
  /** how the template draws it: input · textarea · switch · enum · tap (a picker opened by a tap) · months */
  control: 'input' | 'textarea' | 'switch' | 'enum' | 'tap' | 'months'
  /** the keyboard of an input */
  inputType: 'text' | 'digit' | 'number'
  placeholder: string
  required: boolean
  value: FormValue
  text: string
  /** enum: the labels in order, their values, and the chosen one's index (-1 = none) */
  options: string[]
  optionValues: string[]
  optionIndex: number
  error: string
  /** attachments: the upload under way (its percent and its text) and the photos picked here */
  progress?: number
  progressText?: string
  previews?: string[]
}

const controlOf = (kind: FieldView['kind']): FormFieldView['control'] => {
  if (kind === 'textarea' || kind === 'boolean' || kind === 'enum' || kind === 'months')
    return kind === 'boolean' ? 'switch' : kind
  return ['text', 'phone', 'number', 'money'].includes(kind) ? 'input' : 'tap'
}

/** what a tap row shows for its value */
function tapText(field: FieldView, value: FormValue): string {
  if (value === null || value === '' || (Array.isArray(value) && !value.length)) return ''
  // dates are held as the text the user picked ('2026-12-01', '2026-12-01 09:00')
  if (typeof value === 'string' && (field.kind === 'date' || field.kind === 'datetime')) return value
  return displayValue(field, value, nameOf)
}

export function fieldView(field: FieldView, value: FormValue): FormFieldView {
  const control = controlOf(field.kind)
  // a disabled choice is offered no more (a record holding it still shows it)
  const offered = field.offered ?? field.options ?? {}
  const optionValues = Object.keys(offered)
  return {
    name: field.name,
    label: field.label,
    kind: field.kind,
    control,
    inputType:
      field.kind === 'money'
        ? 'digit'
        : field.kind === 'phone' || field.kind === 'number'
          ? 'number'
          : 'text',
    placeholder: field.placeholder ?? (control === 'enum' || control === 'tap' ? '请选择' : '请输入'),
    required: field.required ?? false,
    value,
    text:
      control === 'enum' ? (value === '' ? '' : labelOf(field.options ?? {}, value)) : tapText(field, value),
    options: optionValues.map((v) => offered[v]),
    optionValues,
    optionIndex: optionValues.indexOf(String(value)),
    error: '',
  }
}

export interface FormState {
  fields: FormFieldView[]
  /** values the form carries without showing them (hidden fields, create-only ones when editing) */
  fixed: FormValues
}

/**
 * The form of a view: a record's values when editing (money fen → yuan text), else the empty form with
 * `preset` values (from the page's query: the customer a follow-up is for...).
 */
export function formState(
  view: RecordView,
  { record, preset = {} }: { record?: Record<string, unknown>; preset?: FormValues } = {},
): FormState {
  const values = { ...formValues(view, record), ...preset }
  // 产品明细 are edited in the H5 app (and shown in the detail): this form carries them as they are
  const shown = shownFields(view, Boolean(record)).filter((f) => f.kind !== 'lines')
  const fixed: FormValues = {}
  for (const field of view.fields)
    if (!shown.includes(field) && field.name in values) fixed[field.name] = values[field.name]
  return { fields: shown.map((f) => fieldView(f, values[f.name] ?? '')), fixed }
}

/** The fields with one value changed (its error cleared). */
export const withValue = (view: RecordView, fields: FormFieldView[], name: string, value: FormValue) =>
  fields.map((f) => {
    const field = view.fields.find((v) => v.name === name)
    return f.name === name && field ? fieldView(field, value) : f
  })

/** The form's values by name, shown and fixed. */
export const valuesOf = ({ fields, fixed }: FormState): FormValues => ({
  ...fixed,
  ...Object.fromEntries(fields.map((f) => [f.name, f.value])),
})

/**
 * Checks the form with the view's shared schema, exactly as the API will: either the value to send (money
 * in fen, times with their offset) or the fields with their messages.
 */
export function readForm(
  view: RecordView,
  state: FormState,
  editing = false,
  /** an edit's values as the form opened: custom fields emptied since are cleared */
  before?: FormValues,
): { ok: true; value: Record<string, unknown> } | { ok: false; fields: FormFieldView[]; message: string } {
  const check = checkForm(view, valuesOf(state), { editing, before })
  if (check.ok) return check
  // an error on a field the form does not show (a hidden link) goes above the button
  return { ok: false, ...withErrors(state, placeErrors(view, check.errors, shownNames(state))) }
}

const shownNames = ({ fields }: FormState) => fields.map((f) => f.name)

/** The fields with their messages (the others cleared), and the message above the button. */
const withErrors = ({ fields }: FormState, { errors, message }: FormErrors) => ({
  fields: fields.map((f) => ({ ...f, error: errors[f.name] ?? '' })),
  message,
})

/**
 * A save the API refused: a 4xx naming a field's path (`attachments.1`, `custom.cf_x.0`) marks that
 * field with the server's message, anything else is `fallback` above the button; the values stay.
 */
export const refusedForm = (view: RecordView, state: FormState, error: unknown, fallback: string) =>
  withErrors(state, saveErrors(view, error, shownNames(state), fallback))
