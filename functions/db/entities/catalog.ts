import { Entity } from 'dynamodb-toolbox/entity'
import { boolean } from 'dynamodb-toolbox/schema/boolean'
import { item } from 'dynamodb-toolbox/schema/item'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { table } from '../table.js'
import { recordAttributes, recordKey, TAG } from './record.js'

export const ProductEntity = new Entity({
  name: 'products',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    name: string(),
    code: string().optional(),
    unit: string().optional(),
    /** fen */
    price: number().optional(),
    enabled: boolean(),
    description: string().optional(),
  }),
  computeKey: recordKey(TAG.product),
})

export const CompetitorEntity = new Entity({
  name: 'competitors',
  table,
  timestamps: false,
  schema: item({
    ...recordAttributes,
    name: string(),
    strengths: string().optional(),
    weaknesses: string().optional(),
  }),
  computeKey: recordKey(TAG.competitor),
})
