import type { AllFields } from '../../../shared/schemas/fields.js'
import { fieldCollectionOf, withFields } from '../../../shared/view/custom-fields.js'
import type { RecordView } from '../../../shared/view/record-view.js'
import { api } from '../api/session.js'
import { ddApi, ddCall } from '../host.js'

/**
 * 字段管理 in the mini-program: the tenant's field definitions, read after each sign-in and kept in
 * storage, applied to a module's view when a form or detail page opens (custom fields, relabelled
 * built-in fields, edited choice lists).
 */
const KEY = 'crm.fields'

export const storedFields = (): AllFields | undefined =>
  ddApi().getStorageSync({ key: KEY }).data as AllFields | undefined

export async function refreshFields(): Promise<void> {
  const all = (await api().fieldSettings.all()) as AllFields
  ddApi().setStorageSync({ key: KEY, data: all })
}

/** The module's view with the stored definitions applied (none stored: the view as it is). */
export function viewWithFields(view: RecordView): RecordView {
  const collection = fieldCollectionOf(view.collection)
  return withFields(view, collection && storedFields()?.collections[collection])
}

/** An upload under way: the photo (1-based) of how many, and its percent sent. */
export interface UploadProgress {
  index: number
  count: number
  percent: number
}

/**
 * 附件: photos from the album or camera (`dd.chooseImage`), each uploaded straight to object storage
 * with the form the API signed for it (`dd.uploadFile`, whose task reports the percent sent where the
 * client supports it); answers the new attachment ids and the photos' local paths (their previews).
 */
export async function pickAttachments(
  onProgress: (progress: UploadProgress) => void,
): Promise<{ ids: string[]; paths: string[] }> {
  const picked = await ddCall<{ filePaths: string[]; files?: { path: string; size: number }[] }>(
    (callbacks) => ddApi().chooseImage({ count: 9, sourceType: ['camera', 'album'], ...callbacks }),
  ).catch(() => undefined)
  const paths = picked?.filePaths ?? []
  const ids: string[] = []
  for (const [i, filePath] of paths.entries()) {
    const report = (percent: number) => onProgress({ index: i + 1, count: paths.length, percent })
    report(0)
    const size =
      picked?.files?.[i]?.size ??
      (await ddCall<{ size: number }>((callbacks) => ddApi().getFileInfo({ filePath, ...callbacks }))).size
    const name = filePath.split('/').pop() || 'photo.jpg'
    const ext = /\.(\w+)$/.exec(name)?.[1]?.toLowerCase() ?? 'jpg'
    const signed = await api().attachments.create({
      fileName: name,
      contentType: `image/${ext === 'jpg' ? 'jpeg' : ext}`,
      size,
    })
    await ddCall((callbacks) => {
      const task = ddApi().uploadFile({
        url: signed.uploadUrl,
        filePath,
        fileName: 'file',
        fileType: 'image',
        formData: signed.uploadHeaders,
        ...callbacks,
      })
      task?.onProgressUpdate?.(({ progress }) => report(Math.min(100, Math.round(progress))))
    })
    report(100)
    ids.push(signed.id)
  }
  return { ids, paths }
}
