import { useState } from 'react'
import { Toast } from 'dingtalk-design-mobile'
import { Link } from 'react-router-dom'
import type { ExportCollection } from '../../../shared/schemas/index.js'
import { importTargets, isExportable } from '../../../shared/view/index.js'
import { contract } from '../../../shared/contract/index.js'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { session } from '../session.js'
import type { ListFilter } from '../resources.js'

/**
 * 导入 / 导出 on a list's toolbar. 公海 imports customers into the pool; every exportable list downloads
 * itself with its current search and filters.
 */

export { importTargets }

/** The import page of a list: `/import/customers?target=pool`. */
export const importPath = (list: string): string | undefined => {
  const found = importTargets[list]
  if (!found) return undefined
  return `/import/${found.collection}${found.target ? `?target=${found.target}` : ''}`
}

/** The file name of an attachment answer (`filename*=UTF-8''...`), else `fallback`. */
const attachmentName = (header: string | null, fallback: string) => {
  const match = /filename\*=UTF-8''([^;]+)/i.exec(header ?? '')
  return match ? decodeURIComponent(match[1]) : fallback
}

/**
 * Downloads an API file (导出, 错误报告) with the session's token: a plain link cannot send the
 * Authorization header, so the file is fetched and saved through a blob link.
 */
export async function downloadFile(url: string, fallbackName: string): Promise<void> {
  const token = session.token()
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} })
  if (!response.ok) {
    const body = (await response.json().catch(() => undefined)) as
      { error?: { message?: string } } | undefined
    throw new Error(body?.error?.message ?? `下载失败（HTTP ${response.status}）`)
  }
  const blob = await response.blob()
  const link = document.createElement('a')
  link.href = URL.createObjectURL(blob)
  link.download = attachmentName(response.headers.get('content-disposition'), fallbackName)
  document.body.appendChild(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
}

/** 导入 and 导出 for a list's toolbar; `filter` is what the list shows now (search and filters). */
export function ListDataTools({ list, filter }: { list: string; filter: () => ListFilter }) {
  const [exporting, setExporting] = useState<'xlsx' | 'csv' | undefined>(undefined)
  const path = importPath(list)
  if (!path && !isExportable(list)) return null
  // CSV (UTF-8 with BOM) for tools that do not read XLSX; Excel opens both
  const exportList = async (format: 'xlsx' | 'csv') => {
    setExporting(format)
    try {
      const { limit: _limit, cursor: _cursor, ...query } = filter()
      await downloadFile(
        api.url(contract.exports[list as ExportCollection], { ...query, format }),
        `${list}.${format}`,
      )
      Toast.success({ content: '已导出' })
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    } finally {
      setExporting(undefined)
    }
  }
  return (
    <div className="data-tools">
      {path ? (
        <Link className="btn btn-small" to={path}>
          导入
        </Link>
      ) : null}
      {isExportable(list)
        ? (['xlsx', 'csv'] as const).map((format) => (
            <button
              key={format}
              type="button"
              className="btn btn-small"
              disabled={!!exporting}
              onClick={() => exportList(format)}
            >
              {exporting === format ? '正在导出…' : format === 'xlsx' ? '导出 Excel' : '导出 CSV'}
            </button>
          ))
        : null}
    </div>
  )
}
