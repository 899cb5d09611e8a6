import { social } from '../../shared/contract/social.js'
import { socialRoutes } from '../social-routes.js'
import { targetTarget } from '../domain/targets/record.js'
import { targets } from '../../shared/contract/targets.js'
import { createTarget, getTarget, listTargets, removeTarget, updateTarget } from '../domain/targets/index.js'
import { apiFunction } from '../api-function.js'
import { crudRoutes } from '../http/crud.js'

/** 销售目标: set by admins and managers (inside their departments). */
export const handler = apiFunction([
  ...crudRoutes(targets, {
    list: listTargets,
    get: getTarget,
    create: createTarget,
    update: updateTarget,
    remove: removeTarget,
  }),
  ...socialRoutes(social['targets'], targetTarget),
])
