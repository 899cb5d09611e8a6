import {
  Briefing,
  BriefingQuery,
  Funnel,
  FunnelQuery,
  PaymentsReport,
  PaymentsReportQuery,
  Performance,
  PerformanceQuery,
  ProductsReport,
  ProductsReportQuery,
  TargetsReport,
  TargetsReportQuery,
} from '../schemas/index.js'
import { route } from './route.js'

/** 简报 and 统计分析: every report reads counters, within the caller's data scope. */
export const reports = {
  briefing: route({
    method: 'GET',
    path: '/api/reports/briefing',
    summary: '简报',
    query: BriefingQuery,
    response: Briefing,
  }),
  targets: route({
    method: 'GET',
    path: '/api/reports/targets',
    summary: '目标达成',
    query: TargetsReportQuery,
    response: TargetsReport,
  }),
  performance: route({
    method: 'GET',
    path: '/api/reports/performance',
    summary: '销售业绩',
    query: PerformanceQuery,
    response: Performance,
  }),
  payments: route({
    method: 'GET',
    path: '/api/reports/payments',
    summary: '回款分析',
    query: PaymentsReportQuery,
    response: PaymentsReport,
  }),
  products: route({
    method: 'GET',
    path: '/api/reports/products',
    summary: '产品销售：各产品每月的合同金额与数量（按产品明细）',
    roles: ['manager', 'admin'],
    query: ProductsReportQuery,
    response: ProductsReport,
  }),
  funnel: route({
    method: 'GET',
    path: '/api/reports/funnel',
    summary: '销售漏斗',
    query: FunnelQuery,
    response: Funnel,
  }),
}
