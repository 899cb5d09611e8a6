import { useEffect, useState } from 'react'
import { List, Toast } from 'dingtalk-design-mobile'
import type { Role, User } from '../../../../shared/schemas/index.js'
import { roleLabels } from '../../../../shared/view/index.js'
import { api } from '../../api.js'
import { errorMessage } from '../../components/hooks.js'
import { Page } from '../../components/Page.js'
import { Loading } from '../../components/Status.js'
import { deptName, reloadDirectory, useNames } from '../../names.js'

/** 用户角色: an admin sets a user's role (it wins over the one derived from DingTalk). */
export default function UserRolesPage() {
  useNames()
  const [users, setUsers] = useState<User[] | undefined>(undefined)

  useEffect(() => {
    reloadDirectory().then(
      (directory) => setUsers(directory.users.filter((u) => u.active)),
      (error) => Toast.fail({ content: errorMessage(error) }),
    )
  }, [])

  if (!users)
    return (
      <Page title="用户角色" narrow>
        <Loading />
      </Page>
    )

  const setRole = async (user: User, role: Role) => {
    try {
      const saved = await api.users.setRole(user.id, { role })
      setUsers(users.map((u) => (u.id === saved.id ? saved : u)))
      Toast.success({ content: `${saved.name} 已设为${roleLabels[role]}` })
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }

  return (
    <Page title="用户角色" narrow>
      <List className="role-list">
        {users.map((user) => (
          <List.Item
            key={user.id}
            brief={user.deptIds.map((id) => deptName(id) ?? id).join('、')}
            extra={
              <select
                className="select"
                aria-label={`${user.name}的角色`}
                value={user.role}
                onChange={(e) => void setRole(user, e.target.value as Role)}
              >
                {Object.entries(roleLabels).map(([role, label]) => (
                  <option key={role} value={role}>
                    {label}
                  </option>
                ))}
              </select>
            }
          >
            {user.name}
          </List.Item>
        ))}
      </List>
    </Page>
  )
}
