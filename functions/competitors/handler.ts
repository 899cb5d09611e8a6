import { Competitor, CompetitorFilter, CompetitorInput } from '../../shared/schemas/index.js'
import { competitorFilter, Competitors } from '../domain/catalog.js'
import { collectionVerbs, crudRoutes } from '../http/crud.js'
import { apiFunction } from '../api-function.js'

export const handler = apiFunction(
  crudRoutes('competitors', {
    record: Competitor,
    input: CompetitorInput,
    filter: CompetitorFilter,
    ...collectionVerbs(Competitors, competitorFilter),
  }),
)
