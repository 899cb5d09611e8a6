import {
  DealSettingsInput,
  DealSettingsRecord,
  Opportunity,
  OpportunityFilter,
  OpportunityInput,
  OpportunityUpdate,
  StageHistory,
  StageMoveInput,
  Stages,
  StagesInput,
} from '../../shared/schemas/index.js'
import {
  activeStages,
  getDealSettings,
  putDealSettings,
  putStages,
  readDealSettings,
} from '../domain/deals/index.js'
import {
  createOpportunity,
  getOpportunity,
  listOpportunities,
  moveStage,
  removeOpportunity,
  stageHistory,
  updateOpportunity,
} from '../domain/opportunities/index.js'
import { apiFunction } from '../api-function.js'
import { ifMatchVersion, route, versionTag } from '../http/route.js'
import { crudRoutes, idOf } from '../http/crud.js'

/** 商机, 商机推进 and the deal settings (销售阶段, 回款规则). */
export const handler = apiFunction([
  ...crudRoutes('opportunities', {
    record: Opportunity,
    input: OpportunityInput,
    patch: OpportunityUpdate,
    filter: OpportunityFilter,
    list: listOpportunities,
    get: getOpportunity,
    create: createOpportunity,
    update: updateOpportunity,
    remove: removeOpportunity,
  }),
  route({
    method: 'POST',
    path: '/api/opportunities/{id}/stage',
    summary: '商机推进',
    body: StageMoveInput,
    response: Opportunity,
    status: 200,
    handler: ({ params, body, session }) => moveStage(session, idOf(params), body),
  }),
  route({
    method: 'GET',
    path: '/api/opportunities/{id}/stages',
    summary: '商机推进记录（含各阶段停留时长）',
    response: StageHistory,
    handler: ({ params, session }) => stageHistory(session, idOf(params)),
  }),
  // The stage list is an array on the wire (API.md), so its version travels as ETag / If-Match.
  route({
    method: 'GET',
    path: '/api/settings/stages',
    response: Stages,
    handler: async ({ session, setHeader }) => {
      const settings = await readDealSettings(session.tenantId)
      setHeader('etag', versionTag(settings.version))
      return activeStages(settings)
    },
  }),
  route({
    method: 'PUT',
    path: '/api/settings/stages',
    roles: ['admin'],
    body: StagesInput,
    response: Stages,
    handler: async ({ body, session, headers, setHeader }) => {
      const saved = await putStages(session, body, ifMatchVersion(headers))
      setHeader('etag', versionTag(saved.version))
      return saved.stages
    },
  }),
  route({
    method: 'GET',
    path: '/api/settings/deals',
    response: DealSettingsRecord,
    handler: ({ session }) => getDealSettings(session.tenantId),
  }),
  route({
    method: 'PUT',
    path: '/api/settings/deals',
    roles: ['admin'],
    body: DealSettingsInput,
    response: DealSettingsRecord,
    handler: ({ body, session }) => putDealSettings(session, body),
  }),
])
