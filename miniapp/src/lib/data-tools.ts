import { contract } from '../../../shared/contract/index.js'
import type { ExportCollection } from '../../../shared/schemas/index.js'
import { api, authHeader } from '../api/session.js'
import { ddApi, ddCall } from '../host.js'
import { chooseFrom, toast } from './pickers.js'

const FORMATS = [
  ['xlsx', '导出 Excel'],
  ['csv', '导出 CSV'],
] as const

/**
 * 导出: the list as the user filtered it, as a file (Excel, or CSV for tools that do not read XLSX),
 * downloaded with the session's header and opened in DingTalk's document viewer, whose menu forwards it
 * to a chat or saves it to 钉盘.
 */
export async function exportList(
  list: ExportCollection,
  query: Record<string, string | number | boolean | undefined>,
): Promise<void> {
  const index = await chooseFrom(
    '导出',
    FORMATS.map(([, label]) => label),
  )
  if (index < 0) return
  const format = FORMATS[index][0]
  await openApiFile(api().url(contract.exports[list], { ...query, format } as never), format, '正在导出…')
}

/**
 * Downloads a file of the API (an export, an import's error report) with the session's header and opens
 * it in DingTalk's document viewer, whose menu forwards it to a chat or saves it to 钉盘.
 */
export async function openApiFile(url: string, fileType: string, busy = '正在下载…'): Promise<void> {
  const dd = ddApi()
  dd.showLoading({ content: busy })
  try {
    const file = await ddCall<{ filePath: string; statusCode?: number }>((callbacks) =>
      dd.downloadFile({ url, header: authHeader(), ...callbacks }),
    ).catch((error: { errorMessage?: string }) => {
      throw new Error(error?.errorMessage || '下载失败，请稍后重试')
    })
    if (file.statusCode && file.statusCode >= 400) throw new Error(`下载失败（HTTP ${file.statusCode}）`)
    dd.hideLoading()
    await ddCall((callbacks) => dd.openDocument({ filePath: file.filePath, fileType, ...callbacks }))
  } catch (error) {
    dd.hideLoading()
    toast(error instanceof Error && error.message ? error.message : '下载失败，请稍后重试', 'fail')
  }
}
