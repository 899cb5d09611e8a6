import type {
  DeptRouting,
  NotificationDelivery,
  NotificationEvent,
  NotificationSettings,
} from '../../../../shared/schemas/index.js'
import { notificationDeliveryLabels, notificationEventLabels } from '../../../../shared/view/labels.js'
import { api, currentUser } from '../../api/session.js'
import { definePage, ddApi, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'

const events = Object.keys(notificationEventLabels) as NotificationEvent[]
const deliveries = Object.keys(notificationDeliveryLabels) as NotificationDelivery[]
/** the picker's options: 继承上级 (no choice) first */
const OPTIONS = ['继承上级', ...deliveries.map((d) => notificationDeliveryLabels[d])]

interface DeptRow {
  id: string
  name: string
  robotCode: string
  openConversationId: string
  events: { event: NotificationEvent; label: string; index: number; text: string }[]
}
interface NotificationsData {
  rows: DeptRow[]
  options: string[]
  version: number
  error: string
  loaded: boolean
  saving: boolean
  /** not an admin (a manager may read the settings): no editing, no 测试发送 */
  readOnly: boolean
}
type NotificationsThis = PageInstance<NotificationsData>
type Tap = { currentTarget: { dataset: { id: string; event?: string; field?: string } } }

const rowsOf = (depts: { id: string; name: string }[], settings: NotificationSettings): DeptRow[] =>
  depts.map((dept) => {
    const group = settings.groups.find((g) => g.deptId === dept.id)
    const chosen = settings.routing.find((r) => r.deptId === dept.id)?.events ?? {}
    return {
      id: dept.id,
      name: dept.name,
      robotCode: group?.robotCode ?? '',
      openConversationId: group?.openConversationId ?? '',
      events: events.map((event) => {
        const index = chosen[event] ? deliveries.indexOf(chosen[event]) + 1 : 0
        return { event, label: notificationEventLabels[event], index, text: OPTIONS[index] }
      }),
    }
  })

/** the settings the rows say: a group where both fields are filled, a choice where one is made */
const settingsOf = (rows: DeptRow[]) => ({
  groups: rows
    .filter((r) => r.robotCode.trim() && r.openConversationId.trim())
    .map((r) => ({
      deptId: r.id,
      robotCode: r.robotCode.trim(),
      openConversationId: r.openConversationId.trim(),
    })),
  routing: rows
    .map((r): DeptRouting => ({
      deptId: r.id,
      events: Object.fromEntries(
        r.events.filter((e) => e.index > 0).map((e) => [e.event, deliveries[e.index - 1]]),
      ),
    }))
    .filter((r) => Object.keys(r.events).length > 0),
})

async function load(page: NotificationsThis) {
  page.setData({ error: '', readOnly: currentUser()?.role !== 'admin' })
  try {
    const [settings, depts] = await Promise.all([
      api().notificationSettings.get(),
      api().depts.list({ limit: 200 }),
    ])
    page.setData({ rows: rowsOf(depts.items, settings), version: settings.version, loaded: true })
  } catch (error) {
    page.setData({ error: errorText(error) })
  }
}

const toast = (content: string, type: 'success' | 'fail') => ddApi().showToast({ content, type })

/**
 * 通知设置 (admins; managers read it, opened from 工作台's 设置): per department its team group (机器人编码 + 群会话 ID) with 测试发送, and per
 * event whether its cards go to the person, the group or both (继承上级: the parent's choice).
 */
definePage({
  data: {
    rows: [],
    options: OPTIONS,
    version: 0,
    error: '',
    loaded: false,
    saving: false,
    readOnly: true,
  } as NotificationsData,
  onLoad(this: NotificationsThis) {
    return load(this)
  },
  onRetry(this: NotificationsThis) {
    return load(this)
  },
  onInput(this: NotificationsThis, e: Tap & { detail: { value: string } }) {
    const { id, field } = e.currentTarget.dataset
    this.setData({
      rows: this.data.rows.map((r) => (r.id === id ? { ...r, [field as string]: e.detail.value } : r)),
    })
  },
  onPick(this: NotificationsThis, e: Tap & { detail: { value: number } }) {
    const { id, event } = e.currentTarget.dataset
    const index = Number(e.detail.value)
    this.setData({
      rows: this.data.rows.map((r) =>
        r.id === id
          ? {
              ...r,
              events: r.events.map((x) => (x.event === event ? { ...x, index, text: OPTIONS[index] } : x)),
            }
          : r,
      ),
    })
  },
  async onTest(this: NotificationsThis, e: Tap) {
    const row = this.data.rows.find((r) => r.id === e.currentTarget.dataset.id)!
    try {
      const sent = await api().notificationSettings.test({
        deptId: row.id,
        robotCode: row.robotCode.trim() || undefined,
        openConversationId: row.openConversationId.trim() || undefined,
      })
      toast(`已发送「${sent.title}」到群`, 'success')
    } catch (error) {
      toast(errorText(error), 'fail')
    }
  },
  async onSave(this: NotificationsThis) {
    this.setData({ saving: true })
    try {
      const saved = await api().notificationSettings.put({
        ...settingsOf(this.data.rows),
        version: this.data.version,
      })
      this.setData({ version: saved.version })
      toast('通知设置已保存', 'success')
    } catch (error) {
      toast(errorText(error), 'fail')
    } finally {
      this.setData({ saving: false })
    }
  },
})
