import * as z from 'zod'
import { ExportFormat, ExportQueries, ImportCollection, ImportJob } from '../schemas/index.js'
import { route } from './route.js'

/**
 * 导入. The upload is multipart (`api.upload`; the mini-program's `dd.uploadFile` posts to
 * `api.url(contract.imports.start, collection)`, `name: 'file'`). A job still `running` after the upload
 * goes on on the server (the scheduler): poll `get`; `resume` is a manual retry of a job that stopped.
 */
export const imports = {
  start: route({
    method: 'POST',
    path: '/api/imports/{collection}',
    params: z.object({ collection: ImportCollection }),
    multipart: true,
    response: ImportJob,
    summary:
      'multipart/form-data: file (CSV or XLSX), policy, target, mapping; answers the job after one request budget, still running if the file did not fit it (the scheduler runs it on; poll GET)',
  }),
  get: route({ method: 'GET', path: '/api/imports/{id}', response: ImportJob }),
  resume: route({
    method: 'POST',
    path: '/api/imports/{id}/resume',
    status: 200,
    response: ImportJob,
    summary:
      'a manual retry: runs a running job no run holds on from its checkpoint for one request budget (the scheduler drives it anyway)',
  }),
  errors: route({
    method: 'GET',
    path: '/api/imports/{id}/errors.xlsx',
    download: true,
    summary: 'the failed rows with their original columns and 错误原因',
  }),
}

/** 导出: one route per list, whose query is that list's filters (an unknown one is a 400) and the format. */
const exportOf = <const C extends keyof typeof ExportQueries>(collection: C) =>
  route({
    method: 'GET',
    path: `/api/exports/${collection}`,
    download: true,
    summary: 'the filtered list as a file: format=xlsx·csv and the filters of the list route',
    query: ExportQueries[collection].extend({ format: ExportFormat.default('xlsx') }),
  })

export const exportRoutes = {
  customers: exportOf('customers'),
  pool: exportOf('pool'),
  leads: exportOf('leads'),
  contacts: exportOf('contacts'),
  products: exportOf('products'),
  opportunities: exportOf('opportunities'),
  contracts: exportOf('contracts'),
  followups: exportOf('followups'),
  'payment-plans': exportOf('payment-plans'),
  payments: exportOf('payments'),
  invoices: exportOf('invoices'),
  targets: exportOf('targets'),
}
