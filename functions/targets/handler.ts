import { Target, TargetFilter, TargetInput, TargetUpdate } from '../../shared/schemas/index.js'
import { createTarget, getTarget, listTargets, removeTarget, updateTarget } from '../domain/targets.js'
import { createFunction } from '../http/route.js'
import { crudRoutes } from '../http/crud.js'

/** 销售目标: set by admins and managers (inside their departments). */
export const handler = createFunction(
  crudRoutes('targets', {
    record: Target,
    input: TargetInput,
    patch: TargetUpdate,
    filter: TargetFilter,
    writeRoles: ['admin', 'manager'],
    list: listTargets,
    get: getTarget,
    create: createTarget,
    update: updateTarget,
    remove: removeTarget,
  }),
)
