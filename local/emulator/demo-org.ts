/**
 * The demo organisation the emulator serves (corpId `ding-demo`). The ids are stable: seeds, tests and the
 * local login page refer to them.
 */

export const DEMO_CORP_ID = 'ding-demo'
export const DEMO_APP_KEY = 'ding-demo-key'
export const DEMO_APP_SECRET = 'ding-demo-secret'
export const DEMO_AGENT_ID = '1000001'
/** an org's own app robot has the app's AppKey as its robotCode */
export const DEMO_ROBOT_CODE = DEMO_APP_KEY

export interface DemoDept {
  deptId: number
  name: string
  /** null for the root department (1) */
  parentId: number | null
  order: number
}

export interface DemoUser {
  userId: string
  unionId: string
  name: string
  mobile: string
  title: string
  jobNumber: string
  avatar: string
  deptIds: number[]
  /** departments this user leads (主管) */
  leaderOf: number[]
  admin: boolean
  boss: boolean
}

export interface DemoChat {
  openConversationId: string
  name: string
  deptId: number
}

export interface DemoOrg {
  corpId: string
  corpName: string
  depts: DemoDept[]
  users: DemoUser[]
  /** group chats a team can pick for robot cards */
  chats: DemoChat[]
}

export const ROOT_DEPT_ID = 1
export const DEPT = {
  root: 1,
  office: 100, // 总经办
  sales: 200, // 销售部
  sales1: 201, // 销售一部
  sales2: 202, // 销售二部
  marketing: 300, // 市场部
} as const

/** a small SVG with the last two characters of the name, as DingTalk shows when there is no photo */
const avatarFor = (name: string, color: string): string => {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">` +
    `<rect width="96" height="96" rx="16" fill="${color}"/>` +
    `<text x="48" y="58" font-size="30" text-anchor="middle" fill="#fff" font-family="sans-serif">` +
    `${name.slice(-2)}</text></svg>`
  return `data:image/svg+xml,${encodeURIComponent(svg)}`
}

interface UserSeed extends Omit<DemoUser, 'unionId' | 'avatar' | 'jobNumber'> {
  color: string
}

const userSeeds: UserSeed[] = [
  {
    userId: 'admin',
    name: '王二',
    mobile: '13800000001',
    title: '总经理',
    deptIds: [DEPT.office],
    leaderOf: [],
    admin: true,
    boss: true,
    color: '#3370ff',
  },
  {
    userId: 'mgr1',
    name: '刘琦',
    mobile: '13800000002',
    title: '销售一部经理',
    deptIds: [DEPT.sales1],
    leaderOf: [DEPT.sales1],
    admin: false,
    boss: false,
    color: '#ff7d00',
  },
  {
    userId: 'sales1',
    name: '王靓依',
    mobile: '13800000003',
    title: '销售代表',
    deptIds: [DEPT.sales1],
    leaderOf: [],
    admin: false,
    boss: false,
    color: '#00b42a',
  },
  {
    userId: 'sales2',
    name: '郑纬祺',
    mobile: '13800000004',
    title: '销售代表',
    deptIds: [DEPT.sales1],
    leaderOf: [],
    admin: false,
    boss: false,
    color: '#14c9c9',
  },
  {
    userId: 'mgr2',
    name: '李四',
    mobile: '13800000005',
    title: '销售二部经理',
    deptIds: [DEPT.sales2],
    leaderOf: [DEPT.sales2],
    admin: false,
    boss: false,
    color: '#f53f3f',
  },
  {
    userId: 'sales3',
    name: '季八',
    mobile: '13800000006',
    title: '销售代表',
    deptIds: [DEPT.sales2],
    leaderOf: [],
    admin: false,
    boss: false,
    color: '#722ed1',
  },
  {
    userId: 'mkt1',
    name: '王晶',
    mobile: '13800000007',
    title: '市场专员',
    deptIds: [DEPT.marketing],
    leaderOf: [],
    admin: false,
    boss: false,
    color: '#eb2f96',
  },
]

/** A fresh copy each time, so a test that changes its org cannot leak into another emulator. */
export function createDemoOrg(): DemoOrg {
  return {
    corpId: DEMO_CORP_ID,
    corpName: '演示科技有限公司',
    depts: [
      { deptId: DEPT.root, name: '演示科技有限公司', parentId: null, order: 0 },
      { deptId: DEPT.office, name: '总经办', parentId: DEPT.root, order: 1 },
      { deptId: DEPT.sales, name: '销售部', parentId: DEPT.root, order: 2 },
      { deptId: DEPT.sales1, name: '销售一部', parentId: DEPT.sales, order: 1 },
      { deptId: DEPT.sales2, name: '销售二部', parentId: DEPT.sales, order: 2 },
      { deptId: DEPT.marketing, name: '市场部', parentId: DEPT.root, order: 3 },
    ],
    users: userSeeds.map(({ color, ...seed }, index) => ({
      ...seed,
      unionId: `union-${seed.userId}`,
      jobNumber: `D${String(index + 1).padStart(3, '0')}`,
      avatar: avatarFor(seed.name, color),
    })),
    chats: [
      { openConversationId: 'cid-demo-sales', name: '销售部群', deptId: DEPT.sales },
      { openConversationId: 'cid-demo-sales1', name: '销售一部群', deptId: DEPT.sales1 },
      { openConversationId: 'cid-demo-sales2', name: '销售二部群', deptId: DEPT.sales2 },
      { openConversationId: 'cid-demo-all', name: '全员群', deptId: DEPT.root },
    ],
  }
}

export const findUser = (org: DemoOrg, userId: string) => org.users.find((u) => u.userId === userId)
export const findDept = (org: DemoOrg, deptId: number) => org.depts.find((d) => d.deptId === deptId)
export const childDepts = (org: DemoOrg, deptId: number) =>
  org.depts.filter((d) => d.parentId === deptId).sort((a, b) => a.order - b.order)
/** direct members only, as `topapi/v2/user/list` answers */
export const deptMembers = (org: DemoOrg, deptId: number) =>
  org.users.filter((u) => u.deptIds.includes(deptId))
