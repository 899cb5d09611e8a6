import { collaboratorsAction, viewerOf } from '../../../../shared/view/record-actions.js'
import { currentUser } from '../../api/session.js'
import { definePage } from '../../host.js'
import { recordDetailPage } from '../../lib/record-pages.js'
import { recordModules } from '../../modules/registry.js'

definePage(
  recordDetailPage(recordModules.customers, {
    // 协助跟进人: the people who help follow it up, chosen from the directory
    extraActions: (record) => [collaboratorsAction(record, viewerOf(currentUser()))],
  }),
)
