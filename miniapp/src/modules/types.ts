import type { ApiClient } from '../../../shared/api/client.js'
import type { Page } from '../../../shared/schemas/index.js'
import type { RecordView } from '../../../shared/view/record-view.js'

/** One row of a record list, ready for the template. */
export interface RowView {
  id: string
  title: string
  brief?: string
  extra?: string
}

export interface AnyRecord {
  id: string
  version: number
  [field: string]: unknown
}

/** A list page as the API answers it; the customer lists add the kept `total` ("共有 N 条记录"). */
export type ListResult<R> = Page<R> & { total?: number | null }

export interface RecordApi<R = AnyRecord> {
  list(filter: Record<string, string | number | boolean | undefined>): Promise<ListResult<R>>
  get(id: string): Promise<R>
  create(value: Record<string, unknown>, options?: { idempotencyKey?: string }): Promise<R>
  update(id: string, changes: Record<string, unknown> & { version: number }): Promise<R>
  remove(id: string): Promise<unknown>
}

/**
 * A module of the mini-program: the shared `RecordView` (fields, labels, formatting, schema: one
 * declaration for both apps) plus what only the mini-program has, its page paths and its API calls.
 */
export interface RecordModule<R extends AnyRecord = AnyRecord> {
  /** the pages' folder (`pages/customer/...`), the same name the DingTalk cards link to */
  key: string
  view: RecordView<R>
  pages: { list: string; detail: string; form: string }
  api(client: ApiClient): RecordApi<R>
}

/**
 * A module from its shared view. The client's CRUD calls are typed per collection; every module sees
 * them through the one `RecordApi` shape.
 */
export function recordModule<R extends { id: string }>(
  key: string,
  view: RecordView<R>,
  api: (client: ApiClient) => object,
): RecordModule {
  return {
    key,
    view: view as unknown as RecordView<AnyRecord>,
    pages: { list: `/pages/${key}/list`, detail: `/pages/${key}/detail`, form: `/pages/${key}/form` },
    api: api as (client: ApiClient) => RecordApi,
  }
}

/** A list row from the shared view's title and brief. */
export const rowOf = (module: RecordModule, record: AnyRecord): RowView => ({
  id: record.id,
  title: module.view.title(record),
  brief: module.view.brief?.(record) || undefined,
})
