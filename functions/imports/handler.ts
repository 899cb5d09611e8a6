import * as z from 'zod'
import {
  type ExportCollection,
  ExportFormat,
  ExportQueries,
  Id,
  ImportCollection,
  ImportForm,
  ImportJob,
} from '../../shared/schemas/index.js'
import { AppError } from '../core/errors.js'
import { validate } from '../core/validate.js'
import { errorReport, exportCollection } from '../domain/exports/index.js'
import { failedRows, getJobItem, runImport, startImport, toJob } from '../domain/imports/index.js'
import { apiFunction } from '../api-function.js'
import { route } from '../http/route.js'

/** 导入 / 导出: `/api/imports/...`, `/api/exports/...`. */

/** An upload's size limit: 20 000 rows of a wide sheet, well under Function Compute's 32 MB request. */
const maxUploadBytes = () => Number(process.env.MAX_UPLOAD_BYTES ?? 20 * 1024 * 1024)

const CollectionParams = z.object({ collection: ImportCollection })
const JobParams = z.object({ id: Id })

const params = <T>(schema: z.ZodType<T>, value: unknown): T => {
  const parsed = schema.safeParse(value)
  if (!parsed.success) throw new AppError(404, 'route.not_found', '不支持导入该类数据')
  return parsed.data
}

export const handler = apiFunction([
  route({
    method: 'POST',
    path: '/api/imports/{collection}',
    multipart: { maxBytes: maxUploadBytes },
    response: ImportJob,
    summary:
      'multipart/form-data: file (CSV or XLSX), policy, target, mapping; answers the job after one request budget, still running if the file did not fit it (the scheduler runs it on; poll GET)',
    // each row commits on its own: an Idempotency-Key cannot stand for the whole job
    rememberAnswer: false,
    handler: async ({ session, params: p, form }) => {
      const { collection } = params(CollectionParams, p)
      const fields = validate(ImportForm, form!.fields)
      if (!form!.file || form!.file.bytes.length === 0) {
        throw new AppError(400, 'validation.failed', '请选择要导入的文件（字段 file）')
      }
      return startImport(session, collection, fields, {
        fileName: form!.file.fileName || 'import',
        bytes: form!.file.bytes,
      })
    },
  }),
  route({
    method: 'GET',
    path: '/api/imports/{id}',
    response: ImportJob,
    handler: async ({ session, params: p }) => toJob(await getJobItem(session, params(JobParams, p).id)),
  }),
  route({
    method: 'POST',
    path: '/api/imports/{id}/resume',
    status: 200,
    response: ImportJob,
    summary:
      'a manual retry: runs a running job no run holds on from its checkpoint for one request budget (the scheduler drives it anyway)',
    rememberAnswer: false,
    handler: ({ session, params: p }) => runImport(session, params(JobParams, p).id),
  }),
  route({
    method: 'GET',
    path: '/api/imports/{id}/errors.xlsx',
    summary: 'the failed rows with their original columns and 错误原因',
    handler: async ({ session, params: p }) => {
      const job = await getJobItem(session, params(JobParams, p).id)
      return errorReport(job.headers, failedRows(session, job), job.fileName)
    },
  }),
  ...(Object.keys(ExportQueries) as ExportCollection[]).map(exportRoute),
])

/** One route per collection, so that its query is that list's filters (an unknown one is a 400). */
function exportRoute(collection: ExportCollection) {
  const filters: z.ZodObject = ExportQueries[collection]
  return route({
    method: 'GET',
    path: `/api/exports/${collection}`,
    summary: 'the filtered list as a file: format=xlsx·csv and the filters of the list route',
    query: filters.extend({ format: ExportFormat.default('xlsx') }),
    handler: ({ session, query }) => {
      // (a schema typed as any list's filters types `format` loosely: it is the enum, defaulted)
      const { format, ...filters } = query as { format: z.output<typeof ExportFormat> }
      return exportCollection(session, collection, filters, format)
    },
  })
}
