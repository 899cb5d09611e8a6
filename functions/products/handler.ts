import { Product, ProductFilter, ProductInput } from '../../shared/schemas/index.js'
import { productVerbs } from '../domain/catalog/index.js'
import { crudRoutes } from '../http/crud.js'
import { apiFunction } from '../api-function.js'

export const handler = apiFunction(
  crudRoutes('products', {
    record: Product,
    input: ProductInput,
    filter: ProductFilter,
    ...productVerbs,
  }),
)
