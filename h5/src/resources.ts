import type { Page as ListPage } from '../../shared/schemas/index.js'
import { competitorView, productView, type RecordView } from '../../shared/view/index.js'
import { api } from './api.js'

/**
 * The collections the app has screens for: a shared view (fields, columns, filters, schema) plus the API
 * client's calls. A new collection (customers...) is one entry here; the generic list, detail and form
 * pages and the routes follow from it.
 */
export interface AnyRecord {
  id: string
  version: number
  [field: string]: unknown
}

export type ListFilter = Record<string, string | number | undefined>

export interface ResourceClient {
  list(filter: ListFilter): Promise<ListPage<AnyRecord> & { total?: number }>
  get(id: string): Promise<AnyRecord>
  create(value: Record<string, unknown>): Promise<AnyRecord>
  update(id: string, changes: Record<string, unknown> & { version: number }): Promise<AnyRecord>
  remove(id: string): Promise<unknown>
}

export interface Resource {
  view: RecordView<AnyRecord>
  client: ResourceClient
}

// The client's resource() types get/create/update as `unknown` (its schema is generic), hence the cast.
const resource = <R extends AnyRecord>(view: RecordView<R>, client: unknown): Resource => ({
  view: view as unknown as RecordView<AnyRecord>,
  client: client as ResourceClient,
})

export const resources: Record<string, Resource> = {
  products: resource(productView, api.products),
  competitors: resource(competitorView, api.competitors),
}
