import { products } from '../../shared/contract/products.js'
import { productVerbs } from '../domain/catalog/index.js'
import { crudRoutes } from '../http/crud.js'
import { apiFunction } from '../api-function.js'

export const handler = apiFunction(crudRoutes(products, productVerbs))
