import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { PutItemCommand } from 'dynamodb-toolbox/entity/actions/put'
import { QueryCommand } from 'dynamodb-toolbox/table/actions/query'
import { ulid } from 'ulid'
import type { Attachment, AttachmentInput } from '../../../shared/schemas/fields.js'
import { now, nowIso } from '../../core/clock.js'
import { config } from '../../core/config.js'
import type { NewAttachment, Session } from '../../core/context.js'
import { AppError, isAppError, notFound, unprocessable } from '../../core/errors.js'
import { AttachmentEntity } from '../../db/entities/fields.js'
import { EntryEntity } from '../../db/entities/lifecycle.js'
import { tenantKey } from '../../db/entities/record.js'
import { getRecord } from '../../db/records.js'
import { table } from '../../db/table.js'
import { objectKey, objectStore } from '../../storage/store.js'
import { getChild } from '../customers/children.js'
import { collections } from '../recycle-bin/collections.js'

/**
 * 附件: `POST /api/attachments` records the file about to come and answers a form signed for exactly it
 * (its key, content type and largest size, for 15 minutes); the client uploads the bytes straight to the
 * store. A record holds attachments by id (`attachments`, custom attachment fields); its writes keep a
 * holder entry under the attachment (db/custom-index.ts), which is how `GET /api/attachments/{id}` knows
 * who may read it: the uploader, or whoever sees a record holding it (also one in the recycle bin, for
 * who may see that), for 10 minutes a link. A record write may add only attachments its caller may read
 * so (`mayAttach`). The object key starts with the tenant.
 */

const UPLOAD_MINUTES = 15
const DOWNLOAD_MINUTES = 10

/** The stored name: its extension only (the user's name is kept on the item and set on download). */
const storedName = (fileName: string) => {
  const ext = /\.([A-Za-z0-9]{1,10})$/.exec(fileName)?.[1]?.toLowerCase()
  return ext ? `file.${ext}` : 'file'
}

export async function createAttachment(session: Session, input: AttachmentInput) {
  const max = config.maxAttachmentBytes()
  if (input.size > max) {
    throw new AppError(413, 'request.too_large', `附件不能超过 ${Math.floor(max / 1024 / 1024)} MB`)
  }
  const id = ulid()
  const key = objectKey(session.tenantId, 'attachments', id, storedName(input.fileName))
  await AttachmentEntity.build(PutItemCommand)
    .item({
      tenantId: session.tenantId,
      id,
      objectKey: key,
      fileName: input.fileName,
      contentType: input.contentType,
      size: input.size,
      createdBy: session.userId,
      createdAt: nowIso(),
    })
    .send()
  const expiresAt = new Date(now() + UPLOAD_MINUTES * 60_000)
  const form = objectStore().uploadForm(key, input, expiresAt)
  return { id, uploadUrl: form.url, uploadHeaders: form.fields, expiresAt: form.expiresAt }
}

/** Can the caller see this record (a child through its customer, a deal through its scope)? */
async function sees(session: Session, recordType: string, recordId: string) {
  const collection = collections[recordType]
  if (!collection) return false
  try {
    if (recordType === 'contacts' || recordType === 'followups') await getChild(collection, session, recordId)
    else await getRecord(collection, session, recordId, { includeDeleted: true })
    return true
  } catch (error) {
    if (isAppError(error) && error.status === 404) return false
    throw error
  }
}

/** The attachment item if the caller may read it: its uploader, an admin, who sees a record holding it. */
async function readable(session: Session, id: string) {
  const { Items = [] } = await table
    .build(QueryCommand)
    .entities(AttachmentEntity, EntryEntity)
    .query({ partition: tenantKey(session.tenantId, 'ATT', id) })
    .options({ consistent: true })
    .send()
  const item = Items.find((i) => 'objectKey' in i) as
    { objectKey: string; fileName: string; contentType: string; size: number; createdBy: string } | undefined
  if (!item) return undefined
  const holders = Items.filter((i) => 'kind' in i && i.kind === 'attachment') as {
    recordType?: string
    recordId?: string
  }[]
  let allowed = item.createdBy === session.userId || session.role === 'admin'
  for (const holder of holders) {
    if (allowed) break
    allowed = await sees(session, holder.recordType ?? '', holder.recordId ?? '')
  }
  return allowed ? item : undefined
}

/**
 * May the caller make a record hold these attachments it did not (`db/commit.ts` asks, before the
 * write's transaction)? Only those it may read now: one Query per attachment, in parallel (and the
 * holders' records when the caller did not upload it). 422 `attachment.not_found` naming the first
 * field (in the record's order) that holds an unknown or unreadable one.
 */
export async function mayAttach(session: Session, attachments: NewAttachment[]): Promise<void> {
  const unique = [...new Map(attachments.map((a) => [a.id, a])).values()]
  const found = await Promise.all(unique.map((a) => readable(session, a.id)))
  const refused = unique.find((_, i) => !found[i])
  if (!refused) return
  const message = '附件不存在或无权使用'
  throw unprocessable('attachment.not_found', `${refused.path.join('.')}: ${message}`, [
    { path: refused.path, message },
  ])
}

export async function getAttachment(session: Session, id: string): Promise<Attachment> {
  const item = await readable(session, id)
  if (!item) throw notFound('attachment', '附件不存在')
  const expiresAt = new Date(now() + DOWNLOAD_MINUTES * 60_000)
  return {
    id,
    fileName: item.fileName,
    contentType: item.contentType,
    size: item.size,
    downloadUrl: objectStore().downloadUrl(item.objectKey, item, expiresAt),
    expiresAt: expiresAt.toISOString(),
  }
}

/** The attachment item (no access check): tests and jobs. */
export const attachmentItem = (tenantId: string, id: string) =>
  AttachmentEntity.build(GetItemCommand).key({ tenantId, id }).send()
