import {
  Briefing,
  BriefingQuery,
  Funnel,
  FunnelQuery,
  Performance,
  PerformanceQuery,
  PaymentsReport,
  PaymentsReportQuery,
  TargetsReport,
  TargetsReportQuery,
} from '../../shared/schemas/index.js'
import { briefing, funnel, paymentsReport, performance, targetsReport } from '../domain/reports/index.js'
import { apiFunction } from '../api-function.js'
import { route } from '../http/route.js'

/** 简报 and 统计分析: every report reads counters, within the caller's data scope. */
export const handler = apiFunction([
  route({
    method: 'GET',
    path: '/api/reports/briefing',
    summary: '简报',
    query: BriefingQuery,
    response: Briefing,
    handler: ({ query, session }) => briefing(session, query),
  }),
  route({
    method: 'GET',
    path: '/api/reports/targets',
    summary: '目标达成',
    query: TargetsReportQuery,
    response: TargetsReport,
    handler: ({ query, session }) => targetsReport(session, query),
  }),
  route({
    method: 'GET',
    path: '/api/reports/performance',
    summary: '销售业绩',
    query: PerformanceQuery,
    response: Performance,
    handler: ({ query, session }) => performance(session, query),
  }),
  route({
    method: 'GET',
    path: '/api/reports/payments',
    summary: '回款分析',
    query: PaymentsReportQuery,
    response: PaymentsReport,
    handler: ({ query, session }) => paymentsReport(session, query),
  }),
  route({
    method: 'GET',
    path: '/api/reports/funnel',
    summary: '销售漏斗',
    query: FunnelQuery,
    response: Funnel,
    handler: ({ query, session }) => funnel(session, query),
  }),
])
