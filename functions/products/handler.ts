import { Product, ProductFilter, ProductInput } from '../../shared/schemas/index.js'
import { productFilter, Products } from '../domain/catalog.js'
import { collectionVerbs, crudRoutes } from '../http/crud.js'
import { createFunction } from '../http/route.js'

export const handler = createFunction(
  crudRoutes('products', {
    record: Product,
    input: ProductInput,
    filter: ProductFilter,
    ...collectionVerbs(Products, productFilter),
  }),
)
