import type * as z from 'zod'
import type { ApiClient } from '../../../shared/api/client.js'
import type { Page } from '../../../shared/schemas/index.js'

/** How a form field is edited and shown. */
export type FieldType = 'text' | 'textarea' | 'money' | 'switch'

export interface FieldConfig {
  /** the input schema's field */
  name: string
  label: string
  type: FieldType
  placeholder?: string
  required?: boolean
  /** a new record's value (switches) */
  initial?: boolean
  /** the detail page's text for the value, when the type's default is not right */
  display?: (value: unknown) => string
}

/** One row of a record list, ready for the template. */
export interface RowView {
  id: string
  title: string
  brief?: string
  extra?: string
}

export interface RecordApi<R, I> {
  list(filter: { q?: string; limit?: number; cursor?: string }): Promise<Page<R>>
  get(id: string): Promise<R>
  create(value: I, idempotencyKey?: string): Promise<R>
  update(id: string, changes: Partial<I> & { version: number }): Promise<R>
  remove(id: string): Promise<unknown>
}

/**
 * A resource of the shared API client as a `RecordApi`. The client decodes every answer with the record
 * schema but its `resource()` types them `unknown`; this names the type the schema guarantees.
 */
export const recordApi = <R, I>(resource: object): RecordApi<R, I> => resource as RecordApi<R, I>

/**
 * A module served by the route factory, described once: its API, list row, detail fields and form.
 * The generic list, detail and form pages take it; a new module is this object plus three page files.
 */
export interface RecordModule<
  R extends { id: string; version: number } = { id: string; version: number } & Record<string, unknown>,
  I = Record<string, unknown>,
> {
  /** singular key, as in page paths (`pages/product/list`) and deep links */
  key: string
  /** its URL name in the API and the recycle bin (`products`) */
  collection: string
  /** 产品 */
  title: string
  searchPlaceholder: string
  pages: { list: string; detail: string; form: string }
  api(client: ApiClient): RecordApi<R, I>
  /** the shared create schema: the form validates with it before sending */
  input: z.ZodType<I>
  fields: FieldConfig[]
  row(record: R): RowView
}
