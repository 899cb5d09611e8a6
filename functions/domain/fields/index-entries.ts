import type { FieldCollection } from '../../../shared/schemas/fields.js'
import { fieldHasValues as anyValue } from '../../db/custom-index.js'
import { FIELD_TAGS } from './values.js'

/** Does any record of the collection (live or in the recycle bin) hold a value of the field? */
export const fieldHasValues = (tenantId: string, collection: FieldCollection, key: string) =>
  anyValue(tenantId, FIELD_TAGS[collection], key)
