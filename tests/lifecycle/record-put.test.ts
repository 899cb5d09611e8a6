import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { describe, expect, it } from 'vitest'
import { RecordPut } from '../../functions/db/records.js'
import { putEntry } from '../../functions/db/entries.js'
import { ContractEntity } from '../../functions/db/entities/deals.js'
import { CustomerEntity, EntryEntity } from '../../functions/db/entities/lifecycle.js'

const sorted = (value: unknown) =>
  JSON.parse(
    JSON.stringify(value, (_, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
    ),
  )

describe('puts built without the toolbox parser', () => {
  const meta = {
    tenantId: 't1',
    createdAt: '2026-12-07T00:00:00.000Z',
    createdBy: 'u1',
    updatedAt: '2026-12-07T00:00:00.000Z',
    version: 3,
  }
  const customer = {
    ...meta,
    id: '01KBASE1INE0000000ABCDEFGH',
    name: '杭州明达云帆9号科技有限公司',
    category: 'A',
    ownerId: 'u1',
    collaboratorIds: ['u2'],
    location: { lat: 30.1, lng: 120.2, label: '杭州' },
    wonAmount: 0,
    custom: { cf_1: 'x' },
    gsi1pk: 'T#t1#CUS',
    gsi1sk: '01KBASE1INE0000000ABCDEFGH',
    notInSchema: 'dropped',
  }
  const contract = {
    ...meta,
    id: '01KBASE1INE0000000ABCDEFGJ',
    number: 'HT-1',
    name: '合同',
    customerId: customer.id,
    amount: 100,
    signedAt: '2026-12-01',
    status: 'executing',
    type: 'product',
    ownerId: 'u1',
    receivedAmount: 0,
    invoicedAmount: 0,
    outstandingAmount: 100,
    uninvoicedAmount: 100,
    plannedAmount: 0,
    childCount: 0,
    lines: [{ productId: 'p', productName: '产品', quantity: 1, unitPrice: 100, discount: 0, amount: 100 }],
  }

  it('stores the item and condition the toolbox would, for a create and for a version check', () => {
    for (const [entity, item] of [
      [CustomerEntity, customer],
      [ContractEntity, contract],
    ] as const) {
      for (const condition of [
        { attr: 'id', exists: false as const },
        { attr: 'version', eq: 3 },
      ]) {
        const ours = new RecordPut(entity as never, item, condition).params().Put
        const theirs = (entity as typeof CustomerEntity)
          .build(PutTransaction)
          .item(item as never)
          .options({ condition } as never)
          .params().Put
        expect(sorted(ours)).toEqual(sorted(theirs))
      }
    }
  })

  it('stores an entry as the toolbox would', () => {
    const entry = {
      pk: 'T#t1#CUS#1',
      sk: '#RECYCLE#FUP',
      tenantId: 't1',
      kind: 'recycle',
      customerId: '1',
      at: 'x',
      ownerId: undefined,
      gsi3pk: 'p',
      gsi3sk: 's',
    }
    const theirs = EntryEntity.build(PutTransaction).item(entry).params().Put
    expect(sorted(putEntry(entry).action.params().Put)).toEqual(sorted(theirs))
  })
})
