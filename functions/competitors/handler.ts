import { Competitor, CompetitorFilter, CompetitorInput } from '../../shared/schemas/index.js'
import { competitorVerbs } from '../domain/catalog/index.js'
import { crudRoutes } from '../http/crud.js'
import { apiFunction } from '../api-function.js'

export const handler = apiFunction(
  crudRoutes('competitors', {
    record: Competitor,
    input: CompetitorInput,
    filter: CompetitorFilter,
    ...competitorVerbs,
  }),
)
