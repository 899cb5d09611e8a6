import { definePage } from '../../host.js'
import { recordDetailPage } from '../../lib/record-pages.js'
import { competitors } from '../../modules/competitors.js'

definePage(recordDetailPage(competitors))
