import { PoolSettingsInput, PoolSettingsRecord } from '../schemas/index.js'
import { route } from './route.js'

/** 公海规则. */
export const poolSettings = {
  get: route({ method: 'GET', path: '/api/settings/pool', response: PoolSettingsRecord }),
  put: route({
    method: 'PUT',
    path: '/api/settings/pool',
    roles: ['admin'],
    body: PoolSettingsInput,
    response: PoolSettingsRecord,
  }),
}
