import { List } from 'dingtalk-design-mobile'
import { Route, Routes, useNavigate } from 'react-router-dom'
import { Page } from '../../components/Page.js'
import { EmptyState } from '../../components/Status.js'
import { session } from '../../session.js'
import ApprovalSettingsPage from './ApprovalSettings.js'
import DealSettingsPage from './DealSettings.js'
import FieldSettingsPage from './FieldSettings.js'
import NotificationSettingsPage from './NotificationSettings.js'
import PoolSettingsPage from './PoolSettings.js'
import StageSettingsPage from './StageSettings.js'
import UserRolesPage from './UserRoles.js'
import './settings.css'

/** The settings groups, as 设置 lists them. */
const groups = [
  { path: 'pool', title: '公海规则', brief: '每日领取上限、持有上限、冷却期、自动回收与提醒' },
  { path: 'stages', title: '销售阶段', brief: '阶段名称、赢率、顺序与类型' },
  { path: 'deals', title: '回款规则', brief: '是否允许超出合同金额回款' },
  { path: 'approvals', title: '审批流程', brief: '合同、回款、发票、商机、客户的审批人与条件' },
  { path: 'notifications', title: '通知设置', brief: '各部门的钉钉群机器人' },
  { path: 'roles', title: '用户角色', brief: '管理员、经理、成员' },
  { path: 'fields', title: '字段管理', brief: '自定义字段、系统字段名称与选项（客户来源、行业等）' },
]

function SettingsHome() {
  const navigate = useNavigate()
  return (
    <Page title="设置" narrow>
      <List className="settings-groups">
        {groups.map((group) => (
          <List.Item
            key={group.path}
            arrow="horizontal"
            brief={group.brief}
            data-group={group.path}
            onClick={() => navigate(`/settings/${group.path}`)}
          >
            {group.title}
          </List.Item>
        ))}
      </List>
    </Page>
  )
}

/**
 * 设置 (admins only): the home listing the groups and one form per group. Others get 无权限 here (and the
 * API answers them 403 anyway).
 */
export default function Settings() {
  if (session.user()?.role !== 'admin')
    return (
      <Page title="设置" narrow>
        <EmptyState title="无权限" desc="只有管理员可以修改设置" />
      </Page>
    )
  return (
    <Routes>
      <Route index element={<SettingsHome />} />
      <Route path="pool" element={<PoolSettingsPage />} />
      <Route path="stages" element={<StageSettingsPage />} />
      <Route path="deals" element={<DealSettingsPage />} />
      <Route path="approvals" element={<ApprovalSettingsPage />} />
      <Route path="notifications" element={<NotificationSettingsPage />} />
      <Route path="roles" element={<UserRolesPage />} />
      <Route path="fields" element={<FieldSettingsPage />} />
    </Routes>
  )
}
