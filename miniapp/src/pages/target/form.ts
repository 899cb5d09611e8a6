import { definePage } from '../../host.js'
import { recordFormPage } from '../../lib/record-pages.js'
import { recordModules } from '../../modules/registry.js'

definePage(recordFormPage(recordModules.targets))
