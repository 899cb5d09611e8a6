import { PoolSettingsInput, PoolSettingsRecord } from '../../shared/schemas/index.js'
import { getPoolSettings, putPoolSettings } from '../domain/customers/pool-settings.js'
import { apiFunction } from '../api-function.js'
import { route } from '../http/route.js'

/** 公海规则: `/api/settings/pool`. */
export const handler = apiFunction([
  route({
    method: 'GET',
    path: '/api/settings/pool',
    response: PoolSettingsRecord,
    handler: ({ session }) => getPoolSettings(session.tenantId),
  }),
  route({
    method: 'PUT',
    path: '/api/settings/pool',
    roles: ['admin'],
    body: PoolSettingsInput,
    response: PoolSettingsRecord,
    handler: ({ session, body }) => putPoolSettings(session, body),
  }),
])
