import type { ApiClient } from '../../../shared/api/client.js'
import type { Page } from '../../../shared/schemas/index.js'
import type { AnyRecord, RecordClient } from '../../../shared/view/clients.js'
import { rowBrief, type RecordView } from '../../../shared/view/record-view.js'
import { nameOf } from '../lib/names.js'

/** One row of a record list, ready for the template. */
export interface RowView {
  id: string
  title: string
  brief?: string
  extra?: string
}

export type { AnyRecord } from '../../../shared/view/clients.js'

/** A list page as the API answers it; the customer lists add the kept `total` ("共有 N 条记录"). */
export type ListResult<R> = Page<R> & { total?: number | null }

/**
 * A module of the mini-program: the shared `RecordView` (fields, labels, formatting, schema: one
 * declaration for both apps) plus what only the mini-program has, its page paths and its API calls.
 */
export interface RecordModule {
  /** the pages' folder (`pages/customer/...`), the same name the DingTalk cards link to */
  key: string
  view: RecordView<AnyRecord>
  pages: { list: string; detail: string; form: string }
  api(client: ApiClient): RecordClient
}

/** A module from its shared view, its pages' folder and its calls. */
export function recordModule(
  key: string,
  view: RecordView<AnyRecord>,
  api: (client: ApiClient) => RecordClient,
): RecordModule {
  return {
    key,
    view,
    pages: { list: `/pages/${key}/list`, detail: `/pages/${key}/detail`, form: `/pages/${key}/form` },
    api,
  }
}

/** A list row from the shared view's title and brief (`without`: the ref a tab is under). */
export const rowOf = (module: RecordModule, record: AnyRecord, without?: string): RowView => ({
  id: record.id,
  title: module.view.title(record),
  brief: rowBrief(module.view, record, nameOf, without) || undefined,
})
