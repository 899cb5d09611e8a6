import { contract } from '../contract/index.js'
import { nounLabel } from '../nouns.js'
import {
  ImportCollection,
  type ExportCollection,
  type ImportJob,
  type ImportPolicy,
} from '../schemas/index.js'

/**
 * 导入 / 导出 for both apps: which lists import what (公海 imports customers into the pool), which lists
 * export, what each duplicate policy means, and an import job's progress in words.
 */

/** the lists with an import, and what they import (`target` for customers) */
export const importTargets: Partial<
  Record<string, { collection: ImportCollection; target?: 'mine' | 'pool' }>
> = {
  leads: { collection: 'leads' },
  customers: { collection: 'customers', target: 'mine' },
  pool: { collection: 'customers', target: 'pool' },
  contacts: { collection: 'contacts' },
  products: { collection: 'products' },
  opportunities: { collection: 'opportunities' },
  contracts: { collection: 'contracts' },
  followups: { collection: 'followups' },
  'payment-plans': { collection: 'payment-plans' },
  payments: { collection: 'payments' },
  invoices: { collection: 'invoices' },
  targets: { collection: 'targets' },
}

/** Whether a list (its collection, or 'pool') exports (shared/contract/imports.ts: one route per list). */
export const isExportable = (list: string): list is ExportCollection => list in contract.exports

/** what each importable list is called (its noun's label) */
export const importNouns = Object.fromEntries(
  ImportCollection.options.map((list) => [list, nounLabel(list)]),
) as Record<ImportCollection, string>

/** What a row that matches an existing record does: the policy, its label, what it means. */
export const importPolicies: [ImportPolicy, string, string][] = [
  ['skip', '跳过', '已有的记录保持不变'],
  ['update', '更新', '用文件中的值更新已有记录'],
  ['create', '新建', '照样新建一条'],
]

/** how often a page reads a running job's progress */
export const IMPORT_POLL_MS = 1000
/** no progress for this long, though the scheduler runs every minute: the page offers 重试 (resume) */
export const IMPORT_STALL_MS = 2 * 60_000
/** the failed rows a page lists (the error report has them all) */
const SHOWN_ERRORS = 10

/** An import job as a page shows it. */
export interface ImportProgress {
  title: string
  /** 0–100 (100 once done) */
  percent: number
  processed: string
  counts: { label: string; value: number }[]
  errors: string[]
}

export function importProgress(job: ImportJob): ImportProgress {
  const percent =
    job.status === 'done' ? 100 : job.total > 0 ? Math.round((job.processed / job.total) * 100) : 0
  const state = job.status === 'running' ? '导入中' : job.status === 'done' ? '导入完成' : '导入失败'
  const errors = job.errors.slice(0, SHOWN_ERRORS).map((e) => `第 ${e.row} 行：${e.message}`)
  if (job.failed > SHOWN_ERRORS) errors.push(`……共 ${job.failed} 行失败，详见错误报告`)
  return {
    title: `${state}：${job.fileName}`,
    percent,
    processed: `已处理 ${job.processed} / ${job.total} 行`,
    counts: [
      { label: '新建', value: job.created },
      { label: '更新', value: job.updated },
      { label: '跳过', value: job.skipped },
      { label: '失败', value: job.failed },
    ],
    errors: job.message ? [job.message, ...errors] : errors,
  }
}
