import { ProductFilter, ProductInput } from '../../shared/schemas/index.js'
import { productFilter, Products } from '../domain/catalog.js'
import { crudRoutes } from '../http/crud.js'
import { createFunction } from '../http/route.js'

export const handler = createFunction(
  crudRoutes(Products, { input: ProductInput, filter: ProductFilter, where: productFilter }),
)
