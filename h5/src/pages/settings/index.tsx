import { List } from 'dingtalk-design-mobile'
import { Route, Routes, useNavigate } from 'react-router-dom'
import { settingsGroups } from '../../../../shared/view/index.js'
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

function SettingsHome() {
  const navigate = useNavigate()
  return (
    <Page title="设置" narrow>
      <List className="settings-groups">
        {settingsGroups.map((group) => (
          <List.Item
            key={group.key}
            arrow="horizontal"
            brief={group.brief}
            data-group={group.key}
            onClick={() => navigate(`/settings/${group.key}`)}
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
