import { Competitor, CompetitorFilter, CompetitorInput } from '../../shared/schemas/index.js'
import { competitorFilter, Competitors } from '../domain/catalog.js'
import { collectionVerbs, crudRoutes } from '../http/crud.js'
import { createFunction } from '../http/route.js'

export const handler = createFunction(
  crudRoutes('competitors', {
    record: Competitor,
    input: CompetitorInput,
    filter: CompetitorFilter,
    ...collectionVerbs(Competitors, competitorFilter),
  }),
)
