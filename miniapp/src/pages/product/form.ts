import { definePage } from '../../host.js'
import { recordFormPage } from '../../lib/record-pages.js'
import { products } from '../../modules/products.js'

definePage(recordFormPage(products))
