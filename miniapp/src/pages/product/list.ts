import { definePage } from '../../host.js'
import { recordListPage } from '../../lib/record-pages.js'
import { products } from '../../modules/products.js'

definePage(recordListPage(products))
