import type { Session } from '../functions/core/context.js'
import { createContact } from '../functions/domain/contacts/record.js'
import { createFollowUp } from '../functions/domain/followups/record.js'
import { createCustomer } from '../functions/domain/customers/index.js'
import { assignLead, createLead } from '../functions/domain/leads/record.js'
import { DEMO_CORP_ID } from './emulator/index.js'

const session = (
  userId: string,
  name: string,
  role: Session['role'],
  deptIds: string[],
  scopeDeptIds: string[] = [],
) => ({
  tenantId: DEMO_CORP_ID,
  userId,
  name,
  role,
  deptIds,
  scopeDeptIds,
})

const DAY = 24 * 3600 * 1000
const daysAgo = (days: number) => new Date(Date.now() - days * DAY).toISOString()

/** Demo customers across sales1/sales2/sales3 and the pool, with contacts, follow-ups and leads. */
export async function seedLifecycle(): Promise<void> {
  const sales1 = session('sales1', '王靓依', 'member', ['201'])
  const sales2 = session('sales2', '郑纬祺', 'member', ['201'])
  const sales3 = session('sales3', '季八', 'member', ['202'])
  const mgr1 = session('mgr1', '刘琦', 'manager', ['201'], ['201'])

  const customers = [
    {
      by: sales1,
      name: '杭州云帆科技有限公司',
      category: 'A',
      source: '展会',
      phone: '13800138001',
      industry: '互联网',
    },
    {
      by: sales1,
      name: '宁波海曙贸易有限公司',
      category: 'B',
      source: '转介绍',
      phone: '057487654321',
      industry: '贸易',
    },
    { by: sales1, name: '绍兴柯桥纺织集团', category: 'C', source: '陌拜', industry: '制造' },
    {
      by: sales2,
      name: '上海浦东精密仪器股份有限公司',
      category: 'A',
      source: '官网',
      phone: '13900139002',
      industry: '制造',
    },
    { by: sales2, name: '苏州工业园区软件有限公司', category: 'B', source: '展会', industry: '软件' },
    {
      by: sales3,
      name: '广州天河物流有限公司',
      category: 'B',
      source: '电话营销',
      phone: '13700137003',
      industry: '物流',
    },
    { by: sales3, name: '深圳南山电子科技有限公司', category: 'A', source: '转介绍', industry: '电子' },
  ] as const
  for (const [i, { by, ...fields }] of customers.entries()) {
    const customer = await createCustomer(by, fields)
    const contact = await createContact(by, {
      customerId: customer.id,
      name: ['陈总', '李经理', '张主任', '赵总监', '孙经理', '周总', '吴主管'][i],
      gender: 'unknown',
      title: '采购负责人',
      mobile: `1590000${String(1000 + i)}`,
      isPrimary: true,
    })
    if (i % 2 === 0) {
      await createFollowUp(by, {
        customerId: customer.id,
        contactId: contact.id,
        method: i % 4 === 0 ? 'visit' : 'phone',
        content: i % 4 === 0 ? '上门拜访，演示了产品，客户有采购意向' : '电话沟通需求，约了下周见面',
        followedAt: daysAgo(i + 1),
        nextFollowUpAt: new Date(Date.now() + 7 * DAY).toISOString(),
      })
    }
  }
  for (const name of ['南京玄武文化传媒有限公司', '成都高新信息技术有限公司', '武汉光谷生物科技有限公司']) {
    await createCustomer(mgr1, { name, source: '市场活动' }, { pool: true })
  }

  const lead = await createLead(mgr1, {
    title: '展会名片：合肥量子通信',
    companyName: '合肥量子通信技术有限公司',
    contactName: '郑工',
    contactInfo: '13600136004',
    source: '展会',
    status: 'new',
  })
  await assignLead(mgr1, lead.id, 'sales1')
  await createLead(mgr1, {
    title: '官网咨询：厦门鼓浪屿旅游',
    companyName: '厦门鼓浪屿旅游发展有限公司',
    contactName: '林女士',
    source: '官网',
    status: 'new',
  })
  await createLead(sales3, {
    title: '老客户转介绍：长沙岳麓教育',
    companyName: '长沙岳麓教育科技有限公司',
    contactName: '刘校长',
    contactInfo: '0731-88886666',
    source: '转介绍',
    status: 'following',
  })
}
