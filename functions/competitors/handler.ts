import { competitors } from '../../shared/contract/competitors.js'
import { competitorVerbs } from '../domain/catalog/index.js'
import { crudRoutes } from '../http/crud.js'
import { apiFunction } from '../api-function.js'

export const handler = apiFunction(crudRoutes(competitors, competitorVerbs))
