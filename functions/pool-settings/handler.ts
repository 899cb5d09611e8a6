import { poolSettings } from '../../shared/contract/pool-settings.js'
import { getPoolSettings, putPoolSettings } from '../domain/customers/pool-settings.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

/** 公海规则: `/api/settings/pool`. */
export const handler = apiFunction([
  serve(poolSettings.get, ({ session }) => getPoolSettings(session.tenantId)),
  serve(poolSettings.put, ({ session, body }) => putPoolSettings(session, body)),
])
