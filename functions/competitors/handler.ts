import { CompetitorFilter, CompetitorInput } from '../../shared/schemas/index.js'
import { competitorFilter, Competitors } from '../domain/catalog.js'
import { crudRoutes } from '../http/crud.js'
import { createFunction } from '../http/route.js'

export const handler = createFunction(
  crudRoutes(Competitors, { input: CompetitorInput, filter: CompetitorFilter, where: competitorFilter }),
)
