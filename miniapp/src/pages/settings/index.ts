import {
  approvalSections,
  dealSections,
  fieldSections,
  poolSections,
  roleSections,
  settingsGroups,
  stageSections,
  type SettingsGroup,
  type SettingsSection,
} from '../../../../shared/view/settings.js'
import { api, currentUser } from '../../api/session.js'
import { ddApi, definePage, type PageInstance } from '../../host.js'
import { consoleLink, copyLink, openLink, type ConsoleLink } from '../../lib/console-link.js'
import { errorText } from '../../lib/errors.js'
import { loadNames, nameOf } from '../../lib/names.js'

/** 通知设置 has its own page (admins change the groups there; managers read them) */
const NOTIFICATIONS_PAGE = '/pages/settings/notifications'

interface SettingsData {
  /** '' lists the groups; else the group shown */
  group: SettingsGroup | ''
  title: string
  groups: { key: string; title: string; brief: string }[]
  sections: SettingsSection[]
  /** only admins see the settings (as on H5) */
  allowed: boolean
  /** the same settings on the PC console, where an admin changes them */
  link: ConsoleLink
  loading: boolean
  error: string
}
type SettingsThis = PageInstance<SettingsData>

const USER = { name: 'id', label: '', kind: 'user' } as const
const DEPT = { name: 'id', label: '', kind: 'dept' } as const

/** Each group's sections, read from the API (the same reads the PC console's forms start from). */
const sectionsOf: Record<Exclude<SettingsGroup, 'notifications'>, () => Promise<SettingsSection[]>> = {
  pool: async () => poolSections(await api().poolSettings.get()),
  stages: async () => stageSections(await api().stages.list()),
  deals: async () => dealSections(await api().dealSettings.get()),
  approvals: async () => {
    const settings = await api().approvalSettings.get()
    const approvers = settings.flows.flatMap((f) => f.steps.map((s) => s.approver))
    await Promise.all([
      ...approvers.flatMap((a) => (a.userIds ?? []).map((id) => loadNames([USER], { id }))),
      ...approvers.map((a) => (a.deptId ? loadNames([DEPT], { id: a.deptId }) : undefined)),
    ])
    return approvalSections(settings, {
      user: (id) => nameOf(USER, id),
      dept: (id) => nameOf(DEPT, id),
    })
  },
  fields: async () => fieldSections(await api().fieldSettings.all()),
  roles: async () => roleSections((await api().users.list({ limit: 100 })).items),
}

async function load(page: SettingsThis) {
  const { group } = page.data
  if (!group || group === 'notifications') return
  page.setData({ loading: true, error: '' })
  try {
    page.setData({ sections: await sectionsOf[group](), loading: false })
  } catch (error) {
    page.setData({ loading: false, error: errorText(error) })
  }
}

/**
 * 设置 on the phone, read-only (`?group=` one group, else the list of groups): admins change them on the
 * PC console (the H5 app at 1024 px and wider), whose page the link copies or opens.
 */
definePage({
  data: {
    group: '',
    title: '设置',
    groups: settingsGroups.map(({ key, title, brief }) => ({ key, title, brief })),
    sections: [],
    allowed: true,
    link: { url: '', canOpen: false },
    loading: false,
    error: '',
  } as SettingsData,
  onLoad(query: { group?: string } = {}) {
    if (currentUser()?.role !== 'admin') return this.setData({ allowed: false })
    const group = settingsGroups.find((g) => g.key === query.group)
    this.setData({ link: consoleLink(group ? `/settings/${group.key}` : '/settings') })
    if (!group) return
    this.setData({ group: group.key, title: group.title })
    return load(this)
  },
  onRetry() {
    return load(this)
  },
  /** 复制链接: the PC console's page, to open on a computer */
  onCopyLink() {
    return copyLink(this.data.link.url)
  },
  /** 打开网页版: the browser on a PC, DingTalk's own browser on a phone */
  onOpenLink() {
    return openLink(this.data.link.url)
  },
  onGroupTap(event: { currentTarget: { dataset: { key: SettingsGroup } } }) {
    const { key } = event.currentTarget.dataset
    ddApi().navigateTo({
      url: key === 'notifications' ? NOTIFICATIONS_PAGE : `/pages/settings/index?group=${key}`,
    })
  },
})
