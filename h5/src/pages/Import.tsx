import { useEffect, useRef, useState } from 'react'
import { Button, Toast } from 'dingtalk-design-mobile'
import { Link, useParams, useSearchParams } from 'react-router-dom'
import {
  ImportCollection,
  importColumns,
  type ImportJob,
  type ImportPolicy,
} from '../../../shared/schemas/index.js'
import { IMPORT_POLL_MS, IMPORT_STALL_MS, importNouns, importPolicies } from '../../../shared/view/index.js'
import { contract } from '../../../shared/contract/index.js'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { Page } from '../components/Page.js'
import { EmptyState } from '../components/Status.js'
import { downloadFile } from '../records/data-tools.js'

const nouns = importNouns
const policies = importPolicies

/** how often the page reads the job's progress while it runs */
const POLL_MS = IMPORT_POLL_MS
/** no progress for this long, though the scheduler runs every minute: the page offers 重试 */
const STALL_MS = IMPORT_STALL_MS
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * 导入: pick a CSV or XLSX file, what a row matching an existing record does (查重), and for customers
 * 我的客户 or 公海; then the job's progress and result. The server runs a job to its end (the upload for a
 * while, then the scheduler every minute), so this page only reads its progress; a job that stops moving
 * gets a 重试 button (resume: one more run now), and leaving the page stops nothing.
 */
export default function Import() {
  const { collection: param = '' } = useParams()
  const [params] = useSearchParams()
  const parsed = ImportCollection.safeParse(param)
  const collection = parsed.success ? parsed.data : undefined
  const [file, setFile] = useState<File | undefined>(undefined)
  const [policy, setPolicy] = useState<ImportPolicy>('skip')
  const [target, setTarget] = useState<'mine' | 'pool'>(params.get('target') === 'pool' ? 'pool' : 'mine')
  const [job, setJob] = useState<ImportJob | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const [stalled, setStalled] = useState(false)
  const alive = useRef(true)
  /** when the job last moved, as this page saw it (a retry counts as a move) */
  const moved = useRef(0)
  useEffect(
    () => () => {
      alive.current = false
    },
    [],
  )

  if (!param)
    return (
      <Page title="数据导入" narrow>
        <div className="tool-page">
          <section className="tool-section">
            <h3>选择要导入的数据</h3>
            {(Object.keys(nouns) as ImportCollection[]).map((c) => (
              <div key={c} className="tool-row">
                <Link className="btn" to={`/import/${c}`}>
                  导入{nouns[c]}
                </Link>
              </div>
            ))}
            <div className="tool-row">
              <Link className="btn" to="/import/customers?target=pool">
                导入客户到公海
              </Link>
            </div>
          </section>
        </div>
      </Page>
    )
  if (!collection)
    return (
      <Page title="导入" narrow>
        <EmptyState title="不支持导入该类数据" />
      </Page>
    )
  const noun = nouns[collection]
  const columns = importColumns[collection].filter((c) => !c.exportOnly)
  const listPath = collection === 'customers' && target === 'pool' ? '/pool' : `/${collection}`

  /** Shows the job's progress until it is no longer running. */
  const follow = async (started: ImportJob) => {
    let current = started
    moved.current = Date.now()
    while (current.status === 'running' && alive.current) {
      await sleep(POLL_MS)
      const next = await api.imports.get(current.id)
      if (!alive.current) return // (React 17 warns about a state update after the page is left)
      if (next.processed !== current.processed || next.status !== current.status) moved.current = Date.now()
      current = next
      setJob(current)
      setStalled(current.status === 'running' && Date.now() - moved.current >= STALL_MS)
    }
  }

  /** 重试: runs the stalled job on now, for one request's time; the polling shows what it did. */
  const retry = async (id: string) => {
    moved.current = Date.now()
    setStalled(false)
    try {
      await api.imports.resume(id)
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }

  const start = async () => {
    if (!file) {
      Toast.info({ content: '请选择要导入的文件' })
      return
    }
    setBusy(true)
    setJob(undefined)
    setStalled(false)
    try {
      const form = new FormData()
      form.append('file', file, file.name)
      form.append('policy', policy)
      if (collection === 'customers') form.append('target', target)
      const started = await api.upload(contract.imports.start, collection, form)
      if (alive.current) setJob(started)
      await follow(started)
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    } finally {
      if (alive.current) setBusy(false)
    }
  }

  const template = () => {
    // a CSV with the headers, with a BOM so Excel reads the Chinese
    const blob = new Blob([`\ufeff${columns.map((c) => c.headers[0]).join(',')}\n`], {
      type: 'text/csv;charset=utf-8',
    })
    const link = document.createElement('a')
    link.href = URL.createObjectURL(blob)
    link.download = `${noun}导入模板.csv`
    link.click()
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000)
  }

  const percent = job && job.total > 0 ? Math.round((job.processed / job.total) * 100) : 0
  const running = busy || job?.status === 'running'

  return (
    <Page title={`导入${noun}`} narrow>
      <div className="tool-page">
        <section className="tool-section">
          <h3>1. 选择文件</h3>
          <input
            type="file"
            name="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            disabled={running}
            onChange={(e) => setFile(e.target.files?.[0])}
          />
          <p className="muted">
            支持 CSV 和 Excel（.xlsx），第一行为表头，中文列名自动对应字段：
            {columns.map((c) => c.headers[0]).join('、')}。
            <button type="button" className="link-button" onClick={template}>
              下载模板
            </button>
          </p>
        </section>

        <section className="tool-section">
          <h3>2. 重复数据处理</h3>
          <div className="tool-row" role="group" aria-label="重复数据处理">
            {policies.map(([value, label, hint]) => (
              <button
                type="button"
                key={value}
                title={hint}
                className={policy === value ? 'chip chip-on' : 'chip'}
                disabled={running}
                onClick={() => setPolicy(value)}
              >
                {label}
              </button>
            ))}
          </div>
          <p className="muted">
            与已有{noun}重复时：{policies.find(([v]) => v === policy)?.[2]}
          </p>
          {collection === 'customers' ? (
            <>
              <h3>导入到</h3>
              <div className="tool-row" role="group" aria-label="导入到">
                {(
                  [
                    ['mine', '我的客户'],
                    ['pool', '公海'],
                  ] as const
                ).map(([value, label]) => (
                  <button
                    type="button"
                    key={value}
                    className={target === value ? 'chip chip-on' : 'chip'}
                    disabled={running}
                    onClick={() => setTarget(value)}
                  >
                    {label}
                  </button>
                ))}
              </div>
            </>
          ) : null}
        </section>

        <Button type="primary" loading={running} disabled={running || !file} onClick={start}>
          {running ? '正在导入…' : '开始导入'}
        </Button>

        {job ? (
          <section className="tool-section import-result" aria-label="导入结果" role="status">
            <h3>
              {job.status === 'running' ? '导入中' : job.status === 'done' ? '导入完成' : '导入失败'}：
              {job.fileName}
            </h3>
            <div className="import-processed">
              已处理 {job.processed} / {job.total} 行
            </div>
            <div className="import-progress" aria-hidden>
              <div style={{ width: `${job.status === 'done' ? 100 : percent}%` }} />
            </div>
            {job.message ? <p className="import-errors">{job.message}</p> : null}
            <div className="import-counts">
              {(
                [
                  ['新建', job.created],
                  ['更新', job.updated],
                  ['跳过', job.skipped],
                  ['失败', job.failed],
                ] as const
              ).map(([label, value]) => (
                <div key={label} className="import-count">
                  <b>{value}</b>
                  {label}
                </div>
              ))}
            </div>
            {job.errors.length ? (
              <ul className="import-errors">
                {job.errors.slice(0, 10).map((e) => (
                  <li key={`${e.row}-${e.message}`}>
                    第 {e.row} 行：{e.message}
                  </li>
                ))}
                {job.failed > 10 ? <li>……共 {job.failed} 行失败，详见错误报告</li> : null}
              </ul>
            ) : null}
            {stalled && job.status === 'running' ? (
              <div className="tool-row">
                <span className="muted">导入暂无进展</span>
                <Button size="small" onClick={() => retry(job.id)}>
                  重试
                </Button>
              </div>
            ) : null}
            <div className="tool-row">
              {job.errorReportUrl && job.status !== 'running' ? (
                <Button
                  size="small"
                  onClick={() =>
                    downloadFile(api.url(contract.imports.errors, job.id), `${noun}导入错误报告.xlsx`).catch(
                      (error: unknown) => Toast.fail({ content: errorMessage(error) }),
                    )
                  }
                >
                  下载错误报告
                </Button>
              ) : null}
              {job.status === 'done' ? (
                <Link className="btn btn-small btn-primary" to={listPath}>
                  查看{collection === 'customers' && target === 'pool' ? '公海' : noun}
                </Link>
              ) : null}
            </div>
          </section>
        ) : null}
      </div>
    </Page>
  )
}
