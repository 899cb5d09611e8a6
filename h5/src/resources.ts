import type { AllFields } from '../../shared/schemas/fields.js'
import {
  fieldCollectionOf,
  recordClient,
  recordViews,
  type AnyRecord,
  type ListFilter,
  type RecordClient,
  type RecordView,
  type ViewCollection,
  withFields,
} from '../../shared/view/index.js'
import type { Page } from '../../shared/schemas/index.js'
import { api } from './api.js'

/**
 * The collections the app has screens for: a shared view (fields, columns, filters, schema) plus its
 * calls (shared/view/clients.ts). The generic list, detail and form pages and the routes follow from it
 * (a record's buttons: shared/view/record-actions.ts).
 */
export type { AnyRecord, ListFilter }

export interface Resource {
  view: RecordView<AnyRecord>
  client: Omit<RecordClient, 'list'> & {
    list(filter: ListFilter): Promise<Page<AnyRecord> & { total?: number }>
  }
}

const resource = (name: ViewCollection): Resource => {
  const client = recordClient(api, name)
  return {
    view: recordViews[name] as unknown as RecordView<AnyRecord>,
    client: {
      ...client,
      // a filtered customer list has no kept count (`total: null`): then no "共有 N 条记录"
      list: async (filter) => {
        const page = await client.list(filter)
        return { ...page, total: page.total ?? undefined }
      },
    },
  }
}

export const resources: Record<string, Resource> = Object.fromEntries(
  (Object.keys(recordViews) as ViewCollection[]).map((name) => [name, resource(name)]),
)

/**
 * 字段管理: the tenant's field definitions applied to every screen's view (relabelled fields, edited
 * choices, custom fields in forms, details, columns and filters). Loaded once a session starts, again
 * after an admin saves them.
 */
export function applyFields(all: AllFields | undefined): void {
  for (const [name, resource] of Object.entries(resources)) {
    const base = recordViews[name as ViewCollection] as unknown as RecordView<AnyRecord>
    const collection = fieldCollectionOf(name)
    resource.view = withFields(base, collection && all?.collections[collection])
  }
}

export async function loadFields(): Promise<void> {
  applyFields((await api.fieldSettings.all()) as AllFields)
}
