import { definePage } from '../../host.js'
import { recordDetailPage } from '../../lib/record-pages.js'
import { products } from '../../modules/products.js'

definePage(recordDetailPage(products))
