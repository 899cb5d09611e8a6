import type { ApiClient } from '../../../shared/api/client.js'
import { isCollection, nouns } from '../../../shared/nouns.js'
import { recordClient } from '../../../shared/view/clients.js'
import type { RecordView } from '../../../shared/view/record-view.js'
import { recordViews, type ViewCollection } from '../../../shared/view/registry.js'
import { recordModule, type AnyRecord, type RecordModule } from './types.js'

/**
 * Each shared view with what only the mini-program adds: the folder of its pages, its noun's `one`
 * (`pages/customer/...`, the paths DingTalk cards open; 公海 has its own), and its API calls.
 */
export const recordModules = Object.fromEntries(
  (Object.keys(recordViews) as ViewCollection[]).map((collection) => [
    collection,
    recordModule(
      isCollection(collection) ? nouns[collection].one : collection,
      recordViews[collection] as unknown as RecordView<AnyRecord>,
      (client: ApiClient) => recordClient(client, collection),
    ),
  ]),
) as Record<ViewCollection, RecordModule>

/** The module of a collection (`followups`), if the app has one. */
export const moduleOf = (collection: string): RecordModule | undefined =>
  recordModules[collection as ViewCollection]
