import { DealSettingsInput, DealSettingsRecord, Stages, StagesInput } from '../schemas/index.js'
import { route } from './route.js'

/**
 * 销售阶段: an array on the wire (API.md), so its settings version travels as ETag / If-Match
 * (`api.versioned`): a PUT whose If-Match is stale is a 409 `version.conflict`.
 */
export const stages = {
  list: route({ method: 'GET', path: '/api/settings/stages', response: Stages }),
  replace: route({
    method: 'PUT',
    path: '/api/settings/stages',
    roles: ['admin'],
    body: StagesInput,
    response: Stages,
  }),
}

/** 回款规则 and the other deal settings. */
export const dealSettings = {
  get: route({ method: 'GET', path: '/api/settings/deals', response: DealSettingsRecord }),
  put: route({
    method: 'PUT',
    path: '/api/settings/deals',
    roles: ['admin'],
    body: DealSettingsInput,
    response: DealSettingsRecord,
  }),
}
