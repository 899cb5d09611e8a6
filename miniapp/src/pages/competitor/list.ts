import { definePage } from '../../host.js'
import { recordListPage } from '../../lib/record-pages.js'
import { competitors } from '../../modules/competitors.js'

definePage(recordListPage(competitors))
