import { attachments, fieldSettings } from '../../shared/contract/fields.js'
import { createAttachment, getAttachment } from '../domain/attachments/attachments.js'
import { getCollectionFields, putCollectionFields, tenantFields } from '../domain/fields/index.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

/** 字段管理 `/api/settings/fields` and 附件 `/api/attachments`. */
export const handler = apiFunction([
  serve(fieldSettings.all, ({ session }) => tenantFields(session.tenantId)),
  serve(fieldSettings.get, ({ session, params }) => getCollectionFields(session.tenantId, params.collection)),
  serve(fieldSettings.put, ({ session, params, body }) =>
    putCollectionFields(session, params.collection, body),
  ),
  serve(attachments.create, ({ session, body }) => createAttachment(session, body)),
  serve(attachments.get, ({ session, params }) => getAttachment(session, params.id)),
])
