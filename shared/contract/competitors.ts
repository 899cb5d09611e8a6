import { Competitor, CompetitorFilter, CompetitorInput } from '../schemas/index.js'
import { crud } from './route.js'

export const competitors = crud('competitors', {
  record: Competitor,
  input: CompetitorInput,
  filter: CompetitorFilter,
})
