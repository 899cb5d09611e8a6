import { useEffect, useState } from 'react'
import { Toast } from 'dingtalk-design-mobile'
import type { Attachment } from '../../../shared/schemas/fields.js'
import { api } from '../api.js'
import { errorMessage } from './hooks.js'

/**
 * 附件 in H5: pick (or drag) files, each uploaded straight to object storage through the form the API
 * signed for it (`POST /api/attachments`), with its progress; images preview, other files download. The
 * value is the attachment ids.
 */

interface Uploading {
  key: string
  name: string
  progress: number
  preview?: string
}

/** Posts the signed form's fields, then the file, reporting progress (fetch has no upload progress). */
function postForm(url: string, fields: Record<string, string>, file: File, onProgress: (p: number) => void) {
  return new Promise<void>((resolve, reject) => {
    const form = new FormData()
    for (const [name, value] of Object.entries(fields)) form.append(name, value)
    form.append('file', file, file.name)
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100))
    xhr.onload = () =>
      xhr.status < 300
        ? resolve()
        : reject(new Error(xhr.status === 413 ? '文件超过大小限制' : `上传失败（HTTP ${xhr.status}）`))
    xhr.onerror = () => reject(new Error('上传失败，请检查网络'))
    xhr.send(form)
  })
}

const isImage = (contentType: string) => contentType.startsWith('image/')

/** One stored attachment: its signed link, an image's thumbnail, a file's name to download. */
function AttachmentItem({ id, onRemove }: { id: string; onRemove?: () => void }) {
  const [file, setFile] = useState<Attachment | undefined>()
  useEffect(() => {
    api.attachments.get(id).then(setFile, () => undefined)
  }, [id])
  return (
    <span className="attachment" data-id={id}>
      {file && isImage(file.contentType) ? (
        <a href={file.downloadUrl} target="_blank" rel="noreferrer">
          <img className="attachment-preview" src={file.downloadUrl} alt={file.fileName} />
        </a>
      ) : (
        <a href={file?.downloadUrl} download={file?.fileName} className="attachment-file">
          {file?.fileName ?? '附件'}
        </a>
      )}
      {onRemove ? (
        <button type="button" className="link-button" onClick={onRemove} aria-label="移除附件">
          移除
        </button>
      ) : null}
    </span>
  )
}

/** The attachments of a record, read-only (detail pages). */
export function AttachmentList({ ids }: { ids: string[] }) {
  if (!ids.length) return <span className="muted">—</span>
  return (
    <span className="attachments">
      {ids.map((id) => (
        <AttachmentItem key={id} id={id} />
      ))}
    </span>
  )
}

/** The form control: the ids held, the uploads under way, a picker that also takes dropped files. */
export function AttachmentsControl(props: {
  name: string
  value: string[]
  onChange: (ids: string[]) => void
}) {
  const [uploading, setUploading] = useState<Uploading[]>([])
  const [ids, setIds] = useState(props.value)
  useEffect(() => setIds(props.value), [props.value])

  const add = async (files: FileList | null) => {
    for (const file of Array.from(files ?? [])) {
      const key = `${file.name}-${Date.now()}`
      const preview = isImage(file.type) ? URL.createObjectURL(file) : undefined
      setUploading((u) => [...u, { key, name: file.name, progress: 0, preview }])
      try {
        const signed = await api.attachments.create({
          fileName: file.name,
          contentType: file.type || 'application/octet-stream',
          size: file.size,
        })
        await postForm(signed.uploadUrl, signed.uploadHeaders, file, (progress) =>
          setUploading((u) => u.map((x) => (x.key === key ? { ...x, progress } : x))),
        )
        setIds((current) => {
          const next = [...current, signed.id]
          props.onChange(next)
          return next
        })
      } catch (error) {
        Toast.fail({ content: `${file.name}：${errorMessage(error)}` })
      } finally {
        setUploading((u) => u.filter((x) => x.key !== key))
      }
    }
  }

  return (
    <div
      className="attachments-control"
      onDragOver={(e) => e.preventDefault()}
      onDrop={(e) => {
        e.preventDefault()
        void add(e.dataTransfer.files)
      }}
    >
      <span className="attachments">
        {ids.map((id) => (
          <AttachmentItem
            key={id}
            id={id}
            onRemove={() => {
              const next = ids.filter((x) => x !== id)
              setIds(next)
              props.onChange(next)
            }}
          />
        ))}
        {uploading.map((u) => (
          <span key={u.key} className="attachment uploading">
            {u.preview ? (
              <img className="attachment-preview" src={u.preview} alt={u.name} />
            ) : (
              <span>{u.name}</span>
            )}
            <progress max={100} value={u.progress} aria-label={`${u.name} 上传进度`} />
            <span className="progress-text">{u.progress}%</span>
          </span>
        ))}
      </span>
      {/* a Chinese button in place of the browser's own file input (「Choose File」) */}
      <label className="attachment-pick" role="button">
        上传附件
        <input
          type="file"
          name={props.name}
          multiple
          hidden
          onChange={(e) => {
            void add(e.target.files)
            e.target.value = ''
          }}
        />
      </label>
      <span className="muted attachment-hint">或拖入文件</span>
    </div>
  )
}
