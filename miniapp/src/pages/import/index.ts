import { contract } from '../../../../shared/contract/index.js'
import {
  ImportCollection,
  ImportJob,
  importColumns,
  type ImportPolicy,
} from '../../../../shared/schemas/index.js'
import {
  IMPORT_POLL_MS,
  IMPORT_STALL_MS,
  importNouns,
  importPolicies,
  importProgress,
  type ImportProgress,
} from '../../../../shared/view/data-tools.js'
import { api, authHeader } from '../../api/session.js'
import { ddApi, ddCall, definePage, type DdFile, type PageInstance } from '../../host.js'
import { consoleLink, copyLink, type ConsoleLink } from '../../lib/console-link.js'
import { openApiFile } from '../../lib/data-tools.js'
import { errorText } from '../../lib/errors.js'
import { canUse, toast } from '../../lib/pickers.js'
import { markStale } from '../../lib/stale.js'
import { miniPage } from '../../../../shared/nouns.js'

interface ImportData {
  collection: ImportCollection | ''
  noun: string
  /** customers: 我的客户 or 公海 */
  target: 'mine' | 'pool'
  /** 重复数据处理 */
  policies: { key: ImportPolicy; label: string; hint: string; on: boolean }[]
  columns: string
  file: { path: string; name: string; size: string } | null
  /** this DingTalk can pick a file (chooseFile); else the PC console's 导入, whose link it copies */
  canChoose: boolean
  link: ConsoleLink
  uploading: boolean
  job: (ImportProgress & { id: string; status: ImportJob['status']; hasErrors: boolean }) | null
  stalled: boolean
  error: string
}
type ImportThis = PageInstance<ImportData>

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const sizeText = (bytes: number) =>
  bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`

/** per page: still shown (polling stops when the page is left; the server's job goes on anyway) */
const alive = new WeakMap<object, boolean>()
const chosenPolicy = (page: ImportThis): ImportPolicy => page.data.policies.find((p) => p.on)?.key ?? 'skip'

function showJob(page: ImportThis, job: ImportJob) {
  page.setData({
    job: {
      ...importProgress(job),
      id: job.id,
      status: job.status,
      hasErrors: Boolean(job.errorReportUrl) && job.status !== 'running',
    },
  })
}

/** Reads the job's progress until it is no longer running; a job that stops moving offers 重试. */
async function follow(page: ImportThis, started: ImportJob) {
  let job = started
  let moved = Date.now()
  while (job.status === 'running' && alive.get(page)) {
    await sleep(IMPORT_POLL_MS)
    if (!alive.get(page)) return
    const next = await api().imports.get(job.id)
    if (next.processed !== job.processed || next.status !== job.status) moved = Date.now()
    job = next
    showJob(page, job)
    page.setData({ stalled: job.status === 'running' && Date.now() - moved >= IMPORT_STALL_MS })
  }
  if (job.status === 'done') {
    const { collection, target } = page.data
    markStale(collection === 'customers' && target === 'pool' ? 'pool' : collection)
  }
}

/**
 * 导入 (`?collection=&target=`): pick a CSV or Excel file on the phone, what a row matching an existing
 * record does, for customers 我的客户 or 公海; then the job's progress, counts and failed rows, and its
 * error report. The server runs the job to its end, so leaving the page stops nothing.
 */
definePage({
  data: {
    collection: '',
    noun: '',
    target: 'mine',
    policies: importPolicies.map(([key, label, hint], i) => ({ key, label, hint, on: i === 0 })),
    columns: '',
    file: null,
    canChoose: true,
    link: { url: '', canOpen: false },
    uploading: false,
    job: null,
    stalled: false,
    error: '',
  } as ImportData,
  onLoad(query: { collection?: string; target?: string } = {}) {
    alive.set(this, true)
    const parsed = ImportCollection.safeParse(query.collection)
    if (!parsed.success) return this.setData({ error: '不支持导入该类数据' })
    const collection = parsed.data
    const target = query.target === 'pool' ? 'pool' : 'mine'
    this.setData({
      collection,
      noun: importNouns[collection],
      target,
      columns: importColumns[collection]
        .filter((c) => !c.exportOnly)
        .map((c) => c.headers[0])
        .join('、'),
      canChoose: canUse('chooseFile'),
      link: consoleLink(`/import/${collection}${target === 'pool' ? '?target=pool' : ''}`),
    })
  },
  onUnload() {
    alive.set(this, false)
  },
  onPolicyTap(event: { currentTarget: { dataset: { key: ImportPolicy } } }) {
    const { key } = event.currentTarget.dataset
    this.setData({ policies: this.data.policies.map((p) => ({ ...p, on: p.key === key })) })
  },
  onTargetTap(event: { currentTarget: { dataset: { key: 'mine' | 'pool' } } }) {
    this.setData({ target: event.currentTarget.dataset.key })
  },
  /**
   * 选择文件: dd.chooseFile picks a file on the phone or PC (DingTalk 7.1.5+ on phones, 7.1.10+ on PCs,
   * not on Harmony; no type filter, hence the name check) and answers its virtual path, name and size.
   * (dd.chooseDingTalkDir picks a 钉盘 folder to save into, not a file to read.)
   * https://open.dingtalk.com/document/development/jsapi-choose-file
   */
  async onChooseFile() {
    const dd = ddApi()
    if (!dd.chooseFile || !canUse('chooseFile')) return toast('当前钉钉版本不能选择文件，请在电脑上导入')
    const picked = await ddCall<{ files: DdFile | DdFile[] }>((callbacks) =>
      dd.chooseFile!({ count: 1, multiSelection: false, ...callbacks }),
    ).catch(() => undefined)
    const file = Array.isArray(picked?.files) ? picked.files[0] : picked?.files
    if (!file) return
    if (!/\.(xlsx|csv)$/i.test(file.name)) return toast('请选择 CSV 或 Excel（.xlsx）文件')
    this.setData({ file: { path: file.path, name: file.name, size: sizeText(file.size) }, job: null })
  },
  /** 复制链接: the PC console's 导入, where this DingTalk cannot pick a file */
  onCopyLink() {
    return copyLink(this.data.link.url)
  },
  /** 开始导入: the upload (the server answers the job after one request's time), then its progress */
  async onStart() {
    const { collection, file, target } = this.data
    if (!collection || this.data.uploading) return
    if (!file) return toast('请选择要导入的文件')
    this.setData({ uploading: true, job: null, stalled: false })
    try {
      const answer = await ddCall<{ statusCode?: number; data?: string }>((callbacks) =>
        ddApi().uploadFile({
          url: api().url(contract.imports.start, collection),
          filePath: file.path,
          fileName: 'file',
          fileType: 'file',
          header: authHeader(),
          formData: { policy: chosenPolicy(this), ...(collection === 'customers' && { target }) },
          ...callbacks,
        }),
      ).catch((error: { errorMessage?: string; data?: unknown }) => {
        const body = typeof error?.data === 'string' ? safeJson(error.data) : error?.data
        const message = (body as { error?: { message?: string } } | undefined)?.error?.message
        throw new Error(message || error?.errorMessage || '上传失败，请稍后重试')
      })
      const started = ImportJob.parse(safeJson(answer.data ?? ''))
      showJob(this, started)
      this.setData({ uploading: false })
      await follow(this, started)
    } catch (error) {
      this.setData({ uploading: false })
      toast(uploadErrorText(error), 'fail')
    }
  },
  /** 重试: runs a stalled job on now, for one request's time; the polling shows what it did */
  async onResume() {
    const id = this.data.job?.id
    if (!id) return
    this.setData({ stalled: false })
    try {
      showJob(this, await api().imports.resume(id))
    } catch (error) {
      toast(errorText(error), 'fail')
    }
  },
  /** 错误报告: the failed rows with 错误原因, opened in DingTalk's viewer (to forward or fix) */
  onErrorReport() {
    const id = this.data.job?.id
    if (id) return openApiFile(api().url(contract.imports.errors, id), 'xlsx')
  },
  /** 查看: the list the rows went into */
  onOpenList() {
    const { collection, target } = this.data
    if (!collection) return
    const list =
      collection === 'customers' && target === 'pool' ? 'pages/pool/index' : miniPage(collection, 'list')
    ddApi().redirectTo({ url: `/${list}` })
  },
})

/** the API's message, the upload's own, or a plain sentence (an answer that was not a job) */
const uploadErrorText = (error: unknown) =>
  error instanceof Error && error.name !== 'ZodError' && error.message
    ? errorTextOr(error)
    : '导入失败，请稍后重试'
const errorTextOr = (error: Error) => {
  const text = errorText(error)
  return text === errorText(undefined) ? error.message : text
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
