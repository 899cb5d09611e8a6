import type { Session } from '../functions/core/context.js'
import { Competitors, Products } from '../functions/domain/catalog/catalog.js'
import { syncDirectory } from '../functions/domain/directory/directory.js'
import { createRecord } from '../functions/db/records.js'
import { DEMO_CORP_ID } from './emulator/index.js'
import { seedLifecycle } from './seed-lifecycle.js'

/** The demo organisation's directory and a few demo records, written through the domain verbs. */
export async function seedDemo(): Promise<void> {
  await syncDirectory(DEMO_CORP_ID)
  const admin: Session = {
    tenantId: DEMO_CORP_ID,
    userId: 'admin',
    name: '王二',
    role: 'admin',
    deptIds: ['100'],
    scopeDeptIds: [],
  }
  const products = [
    { name: '钉钉CRM 标准版', code: 'CRM-STD', unit: '套/年', price: 398000, enabled: true },
    { name: '钉钉CRM 专业版', code: 'CRM-PRO', unit: '套/年', price: 698000, enabled: true },
    { name: '实施服务', code: 'SVC-IMPL', unit: '人天', price: 150000, enabled: true },
    { name: '培训服务', code: 'SVC-TRAIN', unit: '次', price: 500000, enabled: false },
  ]
  for (const product of products) await createRecord(Products, admin, product)
  for (const competitor of [
    { name: '纷享销客', strengths: '功能全面，移动端体验好', weaknesses: '价格较高' },
    { name: '销售易', strengths: '大客户案例多', weaknesses: '实施周期长' },
  ]) {
    await createRecord(Competitors, admin, competitor)
  }
  await seedLifecycle()
}
