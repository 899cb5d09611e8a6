import { Product, ProductFilter, ProductInput } from '../schemas/index.js'
import { crud } from './route.js'

export const products = crud('products', { record: Product, input: ProductInput, filter: ProductFilter })
