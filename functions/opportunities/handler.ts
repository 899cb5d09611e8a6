import { social } from '../../shared/contract/social.js'
import { socialRoutes } from '../social-routes.js'
import { dealTarget } from '../domain/deals/activity.js'
import { dealSettings, stages } from '../../shared/contract/deal-settings.js'
import { opportunities } from '../../shared/contract/opportunities.js'
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
  listStageMoves,
  moveStage,
  removeOpportunity,
  stageHistory,
  updateOpportunity,
  Opportunities,
} from '../domain/opportunities/index.js'
import { submissions } from '../../shared/contract/approvals.js'
import { resubmit } from '../domain/approvals/submission.js'
import { apiFunction } from '../api-function.js'
import { ifMatchVersion, serve, versionTag } from '../http/route.js'
import { crudRoutes } from '../http/crud.js'
import { bulk } from '../domain/bulk/index.js'
import { printServed } from '../print-routes.js'

/** 商机, 商机推进 and the deal settings (销售阶段, 回款规则). */
export const handler = apiFunction([
  ...crudRoutes(opportunities, {
    list: listOpportunities,
    get: getOpportunity,
    create: createOpportunity,
    update: updateOpportunity,
    remove: removeOpportunity,
  }),
  // 调整负责人 is the PATCH of ownerId, over the version just read
  ...printServed(opportunities, { check: getOpportunity, render: 'printOpportunity' }),
  serve(opportunities.bulk.assign, ({ session, body }) =>
    bulk(body.ids, async (id) => {
      const { version } = await getOpportunity(session, id)
      return updateOpportunity(session, id, { ownerId: body.ownerId, version })
    }),
  ),
  serve(opportunities.bulk.delete, ({ session, body }) =>
    bulk(body.ids, (id) => removeOpportunity(session, id)),
  ),
  serve(opportunities.moveStage, ({ params, body, session }) => moveStage(session, params.id, body)),
  serve(opportunities.stages, ({ params, session }) => stageHistory(session, params.id)),
  serve(opportunities.moves, ({ query, session }) => listStageMoves(session, query)),
  // The stage list is an array on the wire (API.md), so its version travels as ETag / If-Match.
  serve(stages.list, async ({ session, setHeader }) => {
    const settings = await readDealSettings(session.tenantId)
    setHeader('etag', versionTag(settings.version))
    return activeStages(settings)
  }),
  serve(stages.replace, async ({ body, session, headers, setHeader }) => {
    const saved = await putStages(session, body, ifMatchVersion(headers))
    setHeader('etag', versionTag(saved.version))
    return saved.stages
  }),
  serve(dealSettings.get, ({ session }) => getDealSettings(session.tenantId)),
  serve(dealSettings.put, ({ body, session }) => putDealSettings(session, body)),
  ...socialRoutes(social['opportunities'], (session, id) => dealTarget(Opportunities, session, id)),
  serve(submissions.opportunities, ({ session, params }) =>
    resubmit(session, Opportunities, 'opportunities', params.id),
  ),
])
