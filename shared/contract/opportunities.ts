import {
  BulkAssignInput,
  BulkInput,
  Opportunity,
  OpportunityFilter,
  OpportunityInput,
  OpportunityUpdate,
  Page,
  StageHistory,
  StageMove,
  StageMoveFilter,
  StageMoveInput,
} from '../schemas/index.js'
import { bulkRoute } from './bulk.js'
import { printRoutes } from './print.js'
import { crud, route } from './route.js'

/** 商机 and 商机推进. */
export const opportunities = {
  ...crud('opportunities', {
    record: Opportunity,
    input: OpportunityInput,
    patch: OpportunityUpdate,
    filter: OpportunityFilter,
  }),
  ...printRoutes('opportunities'),
  /** 批量调整负责人 / 删除 */
  bulk: {
    assign: bulkRoute('opportunities/bulk/assign', BulkAssignInput, ['manager', 'admin']),
    delete: bulkRoute('opportunities/bulk/delete', BulkInput),
  },
  moveStage: route({
    method: 'POST',
    path: '/api/opportunities/{id}/stage',
    summary: '商机推进',
    body: StageMoveInput,
    response: Opportunity,
    status: 200,
  }),
  moves: route({
    method: 'GET',
    path: '/api/opportunities/stage-moves',
    summary: '商机推进：各商机的阶段变化（可按阶段、负责人、日期筛选）',
    query: StageMoveFilter,
    response: Page(StageMove),
  }),
  stages: route({
    method: 'GET',
    path: '/api/opportunities/{id}/stages',
    summary: '商机推进记录（含各阶段停留时长）',
    response: StageHistory,
  }),
}
