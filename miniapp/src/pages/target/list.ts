import { definePage } from '../../host.js'
import { recordListPage } from '../../lib/record-pages.js'
import { recordModules } from '../../modules/registry.js'

definePage(recordListPage(recordModules.targets))
