import { definePage } from '../../host.js'
import { recordDetailPage } from '../../lib/record-pages.js'
import { recordModules } from '../../modules/registry.js'

definePage(recordDetailPage(recordModules.customers))
