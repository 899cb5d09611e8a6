import { FieldCollection, type SavedField } from '../../../shared/schemas/fields.js'
import { collectionFields } from '../fields/definitions.js'

/** A collection's custom field definitions, none for one that has no custom fields (销售目标). */
export const definedFields = async (tenantId: string, collection: string): Promise<readonly SavedField[]> => {
  const parsed = FieldCollection.safeParse(collection)
  return parsed.success ? collectionFields(tenantId, parsed.data) : []
}
