import { Target, TargetFilter, TargetInput, TargetUpdate } from '../schemas/index.js'
import { crud } from './route.js'

/** 销售目标: set by admins and managers (inside their departments). */
export const targets = crud('targets', {
  record: Target,
  input: TargetInput,
  patch: TargetUpdate,
  filter: TargetFilter,
  writeRoles: ['admin', 'manager'],
})
