import * as z from 'zod'
import {
  AllFields,
  Attachment,
  AttachmentInput,
  AttachmentUpload,
  CollectionFields,
  FieldCollection,
  FieldsInput,
} from '../schemas/fields.js'
import { route } from './route.js'

/** 字段管理: every collection's fields, one collection's, and an admin's versioned save of them. */
export const fieldSettings = {
  all: route({ method: 'GET', path: '/api/settings/fields', response: AllFields }),
  get: route({
    method: 'GET',
    path: '/api/settings/fields/{collection}',
    params: z.object({ collection: FieldCollection }),
    response: CollectionFields,
  }),
  put: route({
    method: 'PUT',
    path: '/api/settings/fields/{collection}',
    roles: ['admin'],
    params: z.object({ collection: FieldCollection }),
    body: FieldsInput,
    response: CollectionFields,
  }),
}

/** 附件: a signed upload straight to object storage, and a signed download for who sees a holder. */
export const attachments = {
  create: route({
    method: 'POST',
    path: '/api/attachments',
    body: AttachmentInput,
    response: AttachmentUpload,
  }),
  get: route({ method: 'GET', path: '/api/attachments/{id}', response: Attachment }),
}
