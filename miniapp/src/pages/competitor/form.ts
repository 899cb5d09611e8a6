import { definePage } from '../../host.js'
import { recordFormPage } from '../../lib/record-pages.js'
import { competitors } from '../../modules/competitors.js'

definePage(recordFormPage(competitors))
