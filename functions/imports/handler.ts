import { exportRoutes, imports } from '../../shared/contract/imports.js'
import { ImportForm, type ExportCollection } from '../../shared/schemas/index.js'
import { AppError } from '../core/errors.js'
import { validate } from '../core/validate.js'
import { failedRows, getJobItem, toJob } from '../domain/imports/jobs.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

/** 导入 / 导出: `/api/imports/...`, `/api/exports/...`. */

/**
 * Loaded on first use: a cold start that answers a job's progress (what the apps poll) reads neither the
 * import's parsing, importers and row writes nor the exports' file writers.
 */
const importRun = () => import('../domain/imports/run.js')
const exports = () => import('../domain/exports/index.js')

/** An upload's size limit: 20 000 rows of a wide sheet, well under Function Compute's 32 MB request. */
const maxUploadBytes = () => Number(process.env.MAX_UPLOAD_BYTES ?? 20 * 1024 * 1024)

export const handler = apiFunction([
  serve(
    imports.start,
    async ({ session, params, form }) => {
      const fields = validate(ImportForm, form!.fields)
      if (!form!.file || form!.file.bytes.length === 0) {
        throw new AppError(400, 'validation.failed', '请选择要导入的文件（字段 file）')
      }
      const { startImport } = await importRun()
      return startImport(session, params.collection, fields, {
        fileName: form!.file.fileName || 'import',
        bytes: form!.file.bytes,
      })
    },
    // each row commits on its own: an Idempotency-Key cannot stand for the whole job
    { maxUploadBytes, rememberAnswer: false },
  ),
  serve(imports.get, async ({ session, params }) => toJob(await getJobItem(session, params.id))),
  serve(imports.resume, async ({ session, params }) => (await importRun()).runImport(session, params.id), {
    rememberAnswer: false,
  }),
  serve(imports.errors, async ({ session, params }) => {
    const job = await getJobItem(session, params.id)
    const { errorReport } = await exports()
    return errorReport(job.headers, failedRows(session, job), job.fileName)
  }),
  ...(Object.keys(exportRoutes) as ExportCollection[]).map((collection) =>
    serve(exportRoutes[collection], async ({ session, query }) => {
      const { format, ...filters } = query
      const { exportCollection } = await exports()
      return exportCollection(session, collection, filters, format)
    }),
  ),
])
