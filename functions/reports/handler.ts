import { reports } from '../../shared/contract/reports.js'
import {
  briefing,
  funnel,
  paymentsReport,
  performance,
  productsReport,
  targetsReport,
} from '../domain/reports/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

/** 简报 and 统计分析: every report reads counters, within the caller's data scope. */
export const handler = apiFunction([
  serve(reports.briefing, ({ query, session }) => briefing(session, query)),
  serve(reports.targets, ({ query, session }) => targetsReport(session, query)),
  serve(reports.performance, ({ query, session }) => performance(session, query)),
  serve(reports.payments, ({ query, session }) => paymentsReport(session, query)),
  serve(reports.products, ({ query, session }) => productsReport(session, query)),
  serve(reports.funnel, ({ query, session }) => funnel(session, query)),
])
