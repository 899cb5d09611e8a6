import type * as z from 'zod'
import { ApiError } from '../api/client.js'
import { ErrorDetails } from '../schemas/common.js'
import type { SavedField } from '../schemas/fields.js'
import { checkCustomValues, fieldNameOf, isCustom, valueOf } from './custom-fields.js'
import { fenToYuanText, formatBoolean, formatDate, formatDateTime, formatMoney } from './format.js'
import { labelOf } from './labels.js'

/**
 * How a collection's records are shown and edited, declared once for both apps: the fields of its form and
 * detail, the columns of its PC table, its filters. Validation is the shared zod input schema itself.
 */
export type FieldKind =
  | 'text'
  | 'textarea'
  | 'money'
  | 'boolean'
  | 'enum'
  | 'date'
  | 'datetime'
  /** a phone number (a `tel` keyboard; the schema normalises it) */
  | 'phone'
  /** an integer */
  | 'number'
  /** a user id: a user picker; shown as the user's name */
  | 'user'
  /** a list of user ids: a multi-user picker */
  | 'users'
  /** a department id: a department picker; shown as its name */
  | 'dept'
  /** the id of a record of `ref` (customers, contracts...): a record picker; shown as the record's name */
  | 'ref'
  /** a sales stage id (from `/api/settings/stages`): a stage picker; shown as the stage's name */
  | 'stage'
  /** `{lat, lng, label}`: the device's position (dd.getLocation / the browser's geolocation) */
  | 'location'
  /** a department or user id, which one per the record's `scope` field (销售目标's subject) */
  | 'subject'
  /** twelve money amounts, January to December (销售目标) */
  | 'months'
  /** several choices of `options` (a custom multiple-choice field) */
  | 'multiselect'
  /** attachment ids: an uploader; shown as the files */
  | 'attachments'
  /**
   * 产品明细 (商机, 合同): the form holds the lines as JSON text of what is sent (`[{productId, quantity,
   * unitPrice (yuan, or absent: the list price), discount}]`); a form that does not edit them sends none
   */
  | 'lines'

/** Collections a `ref` field can point at. */
export type RefCollection =
  'customers' | 'contacts' | 'opportunities' | 'contracts' | 'payment-plans' | 'leads'

export interface FieldView {
  name: string
  label: string
  kind: FieldKind
  /** labels of the values, for `enum` and `boolean` fields */
  options?: Readonly<Record<string, string>>
  /** the options a form offers, when some are disabled (they still name the records holding them) */
  offered?: Readonly<Record<string, string>>
  /** a custom field (字段管理): its definition; the field's name is `custom.<key>` */
  custom?: SavedField
  placeholder?: string
  /** marks the field as required in the form (the schema decides; this only draws the asterisk) */
  required?: boolean
  /** shown in the detail but not in the form (derived or read-only fields) */
  readOnly?: boolean
  /** in the create form only; changed through a verb afterwards (or never), so read-only when editing */
  createOnly?: boolean
  /** carried by the form (prefilled from the context, e.g. the record a reminder is about) but not shown */
  hidden?: boolean
  /** the new form's value (a switch starts on, other controls empty, unless this says otherwise) */
  initial?: string | boolean
  /** `enum` values that are numbers on the wire (提前提醒 minutes) */
  numeric?: boolean
  /** `ref`: the collection the id points at */
  ref?: RefCollection
  /**
   * `ref`: pick among the records whose field of this name equals the form's value of the same name
   * (a follow-up's contact among its customer's contacts: `scopeBy: 'customerId'`)
   */
  scopeBy?: string
}

export interface FilterView {
  name: string
  label: string
  /** value → label; the UI adds 全部 */
  options: Readonly<Record<string, string>>
}

/** A date-range filter: two query parameters (`lastFollowUpFrom`/`lastFollowUpTo`), chosen by presets. */
export interface DateFilterView {
  label: string
  from: string
  to: string
  /** `past`: 今天 / 近 7 天 / 近 30 天 / 30 天以前; `future`: 今天 / 未来 7 天 / 未来 30 天 / 已过期 */
  presets: 'past' | 'future'
}

/** A filter whose values come from the API (a user, a department, a stage), picked in the UI. */
export interface PickFilterView {
  name: string
  label: string
  kind: 'user' | 'dept' | 'stage'
}

/** A detail tab (customer: 客户信息 / 动态 / 跟进 / 商机 / 合同 / 联系人). */
export interface TabView {
  /** `info` (the fields), `timeline` (动态), or a child collection listed by `?<childKey>=<id>` */
  key: string
  label: string
  /** the child collection's filter field naming this record (customerId, contractId) */
  childKey?: string
}

/** The tabs of a record with nothing listed under it: its fields, and its 动态 (评论, 赞). */
export const infoAndTimeline = (noun: string): readonly TabView[] => [
  { key: 'info', label: `${noun}信息` },
  { key: 'timeline', label: '动态' },
]

export interface RecordView<R extends { id: string } = { id: string } & Record<string, unknown>> {
  /** URL name: `/api/<collection>` and the app's route */
  collection: string
  /** 产品, 竞争对手 ... */
  noun: string
  title(record: R): string
  /** the second line of a phone list row (after `rowRefs`) */
  brief?(record: R): string
  /** the fields that say whose a row is (联系人: 所属客户), shown by name first in the row's second line */
  rowRefs?: readonly string[]
  /** form and detail fields, in order */
  fields: readonly FieldView[]
  /** PC table columns (field names; meta fields `createdAt`/`updatedAt` allowed) */
  columns: readonly string[]
  /**
   * the columns the API sorts by (newest first), as the list's `sort` values; the first is its default
   * order (客户: 创建时间, 最近跟进日期)
   */
  sorts?: readonly string[]
  filters?: readonly FilterView[]
  /** date-range filters (客户: 最近跟进日期) */
  dateFilters?: readonly DateFilterView[]
  /** filters picked from the API's users, departments or stages (客户经理, 所属部门, 销售阶段) */
  pickFilters?: readonly PickFilterView[]
  searchPlaceholder: string
  /** the create schema (wire values in: yuan; internal values out: fen) */
  input: z.ZodObject
  /** the PATCH fields' schema when it differs from `input` (verbs own some fields) */
  update?: z.ZodObject
  /** detail tabs; none = one page of fields */
  tabs?: readonly TabView[]
  /** the tenant's field definitions applied to this view (`withFields`) */
  custom?: readonly SavedField[]
}

/** Meta fields every record has, for details and table columns. */
export const metaFields: readonly FieldView[] = [
  { name: 'createdAt', label: '创建时间', kind: 'datetime', readOnly: true },
  { name: 'updatedAt', label: '更新时间', kind: 'datetime', readOnly: true },
]

export const fieldOf = <R extends { id: string }>(view: RecordView<R>, name: string): FieldView | undefined =>
  view.fields.find((f) => f.name === name) ?? metaFields.find((f) => f.name === name)

/** The fields of `rowRefs`, for an app to fetch their names before it shows a page of rows. */
export const rowRefFields = <R extends { id: string }>(view: RecordView<R>, without?: string): FieldView[] =>
  (view.rowRefs ?? [])
    .filter((name) => name !== without)
    .map((name) => fieldOf(view, name))
    .filter((f): f is FieldView => !!f)

/**
 * A phone list row's second line: whose it is (its `rowRefs` by name: 客户, 合同, 销售阶段), then the
 * view's brief. A name not known yet is left out rather than shown as an id; `without` leaves out the
 * record a tab is under (a customer's 联系人 need not name the customer).
 */
export function rowBrief<R extends { id: string }>(
  view: RecordView<R>,
  record: R,
  names?: NameLookup,
  without?: string,
): string {
  const refs = rowRefFields(view, without).map((field) => {
    const value = (record as Record<string, unknown>)[field.name]
    return typeof value === 'string' && value ? names?.(field, value) : undefined
  })
  return [...refs, view.brief?.(record)].filter(Boolean).join(' · ')
}

/**
 * Names of the ids a record holds (users, departments, stages, linked records), which the UI fetches and
 * caches; `undefined` when not known (yet), then the id itself is shown.
 */
export type NameLookup = (field: FieldView, id: string) => string | undefined

/** A record's value as text (money in fen → '¥1,999.90'; ids → names through `names`). */
export function displayValue(field: FieldView, value: unknown, names?: NameLookup): string {
  if (value === null || value === undefined || value === '') return '—'
  const nameOf = (id: unknown) => names?.(field, String(id)) ?? String(id)
  switch (field.kind) {
    case 'user':
    case 'dept':
    case 'ref':
    case 'stage':
    case 'subject':
      return nameOf(value)
    case 'users':
      return Array.isArray(value) && value.length ? value.map(nameOf).join('、') : '—'
    case 'multiselect':
      return Array.isArray(value) && value.length
        ? value.map((v) => labelOf(field.options ?? {}, v)).join('、')
        : '—'
    case 'attachments':
      return Array.isArray(value) && value.length ? `${value.length} 个附件` : '—'
    case 'location': {
      const place = value as { lat?: number; lng?: number; label?: string }
      return place.label || `${place.lat?.toFixed(5)}, ${place.lng?.toFixed(5)}`
    }
    case 'months':
      return Array.isArray(value)
        ? formatMoney(value.reduce<number>((sum, fen) => sum + Number(fen ?? 0), 0)) + '（全年）'
        : '—'
    case 'lines': {
      const lines = Array.isArray(value) ? (value as { amount?: number }[]) : []
      if (!lines.length) return '—'
      const total = lines.reduce((sum, l) => sum + Number(l.amount ?? 0), 0)
      return `${lines.length} 种产品，合计 ${formatMoney(total)}`
    }
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

/** A position as the form holds it (the `location` kind). */
export interface FormLocation {
  lat: number
  lng: number
  label?: string
}

/**
 * What a form control holds: text for inputs (a datetime as 'YYYY-MM-DD HH:mm' China time), a boolean
 * for switches, ids for `users`, yuan texts for `months`, a position or null for `location`.
 */
export type FormValue = string | boolean | string[] | FormLocation | null
export type FormValues = Record<string, FormValue>

/** The form's starting values: a record's (money fen → yuan text) or the empty form (plus `preset`). */
export function formValues<R extends { id: string }>(
  view: RecordView<R>,
  record?: Record<string, unknown>,
): FormValues {
  const values: FormValues = {}
  for (const field of view.fields) {
    if (field.readOnly) continue
    const value = valueOf(record, field) ?? (record?.id ? undefined : field.initial)
    if (field.kind === 'boolean') values[field.name] = value === undefined ? true : Boolean(value)
    else if (field.kind === 'money') values[field.name] = fenToYuanText(value as number | undefined)
    else if (field.kind === 'datetime')
      values[field.name] = typeof value === 'string' ? formatDateTime(value) : ''
    else if (field.kind === 'users' || field.kind === 'multiselect' || field.kind === 'attachments')
      values[field.name] = Array.isArray(value) ? value.map(String) : []
    else if (field.kind === 'months')
      values[field.name] = Array.from({ length: 12 }, (_, i) =>
        Array.isArray(value) ? fenToYuanText(value[i] as number | undefined) : '',
      )
    else if (field.kind === 'location')
      values[field.name] = value && typeof value === 'object' ? (value as FormLocation) : null
    else if (field.kind === 'lines') values[field.name] = Array.isArray(value) ? linesText(value) : ''
    else values[field.name] = value === undefined || value === null ? '' : String(value)
  }
  return values
}

/** A record's lines (fen) as the form holds them: the JSON of what a save sends (yuan). */
export function linesText(lines: readonly unknown[]): string {
  return JSON.stringify(
    (lines as { productId: string; quantity: number; unitPrice: number; discount: number }[]).map((l) => ({
      productId: l.productId,
      quantity: l.quantity,
      unitPrice: l.unitPrice / 100,
      discount: l.discount,
    })),
  )
}

const yuanOrText = (text: string): number | string => (/^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text)

/** The editor's lines (figures as typed) as sent: numbers where they are numbers, no empty unit price. */
const wireLines = (text: string) =>
  (JSON.parse(text) as Record<string, unknown>[]).map(({ productId, quantity, unitPrice, discount }) => ({
    productId,
    quantity: yuanOrText(String(quantity ?? '').trim()),
    discount: yuanOrText(String(discount ?? '').trim() || '0'),
    ...(unitPrice === undefined || unitPrice === ''
      ? {}
      : { unitPrice: yuanOrText(String(unitPrice).trim()) }),
  }))

/** 'YYYY-MM-DD HH:mm' (or with a 'T') in China time → ISO with +08:00; anything else as it is. */
export function chinaDateTimeToIso(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?$/.exec(text.trim())
  return match ? `${match[1]}T${match[2]}${match[3] ?? ':00'}+08:00` : text
}

/** A control's value as the API's wire value: '' → absent, money text → a yuan number (if it is one). */
function wireValue(field: FieldView, value: FormValue | undefined): unknown {
  if (typeof value === 'boolean') return value
  if (field.kind === 'lines') return typeof value === 'string' && value ? wireLines(value) : undefined
  if (field.kind === 'location') return value && typeof value === 'object' ? value : undefined
  if (Array.isArray(value)) {
    if (field.kind === 'months') return value.map((text) => yuanOrText(text.trim() || '0'))
    return value.length || field.required ? value : undefined
  }
  const text = (typeof value === 'string' ? value : '').trim()
  // an empty required field goes as '' so the schema answers with its own message (请填写…)
  if (text === '') return field.required ? '' : undefined
  if (field.kind === 'money') return yuanOrText(text)
  if (field.kind === 'number' || (field.kind === 'enum' && field.numeric))
    return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text
  if (field.kind === 'boolean' && isCustom(field.name)) return text === 'true'
  if (field.kind === 'datetime') return chinaDateTimeToIso(text)
  return text
}

const isEmptyFormValue = (value: FormValue | undefined) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)

/**
 * The optional fields of an edit form that had a value when it opened (`before`) and that the user
 * emptied, as the `null`s that clear them in the PATCH (a field left out of a PATCH stays as it is).
 */
export function clearedFields<R extends { id: string }>(
  view: RecordView<R>,
  before: FormValues,
  after: FormValues,
): Record<string, null> {
  const schema = view.update ?? view.input
  return Object.fromEntries(
    formFields(view, true)
      .filter((f) => !f.required && f.name in schema.shape)
      .filter((f) => !isEmptyFormValue(before[f.name]) && isEmptyFormValue(after[f.name]))
      .map((f) => [f.name, null]),
  )
}

export type FormCheck =
  { ok: true; value: Record<string, unknown> } | { ok: false; errors: Record<string, string> }

/** The fields a form shows: all but read-only and hidden ones; when editing, not the create-only ones. */
export const formFields = <R extends { id: string }>(view: RecordView<R>, editing = false): FieldView[] =>
  view.fields.filter((f) => !f.readOnly && !f.hidden && !(editing && f.createOnly))

/**
 * Validates the form with the collection's shared zod schema (the `update` one when editing: create-only
 * fields are then left out). On success `value` holds internal values (fen) ready for the API client;
 * otherwise one Chinese message per field.
 */
export function checkForm<R extends { id: string }>(
  view: RecordView<R>,
  values: FormValues,
  {
    editing = false,
    before,
  }: {
    editing?: boolean
    /** an edit's values as the form opened: custom fields emptied since go as `null` */
    before?: FormValues
  } = {},
): FormCheck {
  const schema = editing ? (view.update ?? view.input) : view.input
  const wire = Object.fromEntries(
    view.fields
      .filter((f) => !f.readOnly && !(editing && f.createOnly) && f.name in schema.shape)
      .map((f) => [f.name, wireValue(f, values[f.name])]),
  )
  const customFields = formFields(view, editing).filter((f) => f.custom)
  const { custom, errors: customErrors } = checkCustomValues(
    view as unknown as RecordView<{ id: string }>,
    Object.fromEntries(customFields.map((f) => [f.name, wireValue(f, values[f.name])])),
    {
      partial: editing,
      cleared: customFields
        .filter((f) => before && !isEmptyFormValue(before[f.name]) && isEmptyFormValue(values[f.name]))
        .map((f) => f.name),
    },
  )
  const result = schema.safeParse(wire)
  const errors: Record<string, string> = { ...customErrors }
  if (result.success && !Object.keys(errors).length) {
    const value = result.data as Record<string, unknown>
    return { ok: true, value: custom ? { ...value, custom } : value }
  }
  for (const issue of result.success ? [] : result.error.issues)
    errors[fieldNameOf(issue.path)] ??= issue.message
  return { ok: false, errors }
}

/** A form's errors as it shows them: by field name under the fields, and one message above the button. */
export interface FormErrors {
  errors: Record<string, string>
  message: string
}

/**
 * Errors by field name, placed: under the fields the form shows (`shown`); the first on a field of the
 * view it does not show (a hidden link) above the button, as `label：message`.
 */
export function placeErrors<R extends { id: string }>(
  view: RecordView<R>,
  byName: Record<string, string>,
  shown: readonly string[],
): FormErrors {
  const errors = Object.fromEntries(Object.entries(byName).filter(([name]) => shown.includes(name)))
  const hidden = Object.entries(byName).find(([name]) => !shown.includes(name))
  const label = hidden && (view.fields.find((f) => f.name === hidden[0])?.label ?? hidden[0])
  return { errors, message: hidden ? `${label}：${hidden[1]}` : '' }
}

/**
 * A save the API refused, as the form shows it (keeping its values): a 4xx whose details name paths
 * (400 `validation.failed`, 422 `attachment.not_found` on `attachments.1` or `custom.cf_x.0`) puts each
 * message on the field the path starts with (`fieldNameOf`). Anything else — another status, no path,
 * a path naming no field of the view — is the form-level message `fallback`, the app's text for the
 * failure (the mini-program shows it above the button, the H5 app as a toast).
 */
export function saveErrors<R extends { id: string }>(
  view: RecordView<R>,
  error: unknown,
  shown: readonly string[],
  fallback: string,
): FormErrors {
  const details =
    error instanceof ApiError && error.status >= 400 && error.status < 500
      ? ErrorDetails.safeParse(error.details)
      : undefined
  const byName: Record<string, string> = {}
  let unplaced = !details?.success || !details.data.length
  for (const { path, message } of details?.success ? details.data : []) {
    const name = fieldNameOf(path)
    if (view.fields.some((f) => f.name === name)) byName[name] ??= message
    else unplaced = true
  }
  const placed = placeErrors(view, byName, shown)
  return { errors: placed.errors, message: unplaced ? fallback : placed.message }
}
