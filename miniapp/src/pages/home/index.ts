import { miniPage } from '../../../../shared/nouns.js'
import {
  FEED_EMPTY,
  FEED_TITLE,
  feedLoading,
  feedMiniPage,
  feedSection,
  type FeedSection,
} from '../../../../shared/view/feed.js'
import { homeData, quickAdds, type HomeRow } from '../../../../shared/view/home.js'
import type { Me } from '../../../../shared/schemas/index.js'
import { api, currentUser } from '../../api/session.js'
import { definePage, ddApi, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { chooseFrom } from '../../lib/pickers.js'
import type { RowView } from '../../modules/types.js'
import { homeModules } from '../../modules/index.js'

interface HomeData {
  userName: string
  error: string
  modules: ((typeof homeModules)[number] & { soon: boolean })[]
  reminders: RowView[]
  leads: RowView[]
  briefing: { label: string; value: string }[]
  /** 设置 (admins change them; managers read them; members see none) */
  settings: { label: string; brief: string; url: string }[]
  /** 工作台动态: the newest activity (loading, its rows, nothing yet, or failed with 重试) */
  feed: FeedSection
  feedTitle: string
  feedEmpty: string
}
type HomeThis = PageInstance<HomeData>

/** A reminder's row says 已逾期 or 今天 on its right. */
const reminderRow = ({ overdue, ...row }: HomeRow): RowView => ({
  ...row,
  extra: overdue ? '已逾期' : '今天',
})

async function loadBoard(page: HomeThis, me: Me) {
  const { briefing, reminders, leads } = await homeData(api(), me)
  page.setData({ briefing, reminders: reminders.map(reminderRow), leads })
}

type Tap = { currentTarget: { dataset: { id?: string; path?: string; url?: string } } }

/** the settings a role may open from 工作台: 通知设置 (部门群) for admins, read-only for managers */
const settingsFor = (me: Me): HomeData['settings'] =>
  me.role === 'member'
    ? []
    : [
        {
          label: '通知设置',
          brief: me.role === 'admin' ? '部门群与卡片的发送方式' : '查看部门群与卡片的发送方式（只读）',
          url: '/pages/settings/notifications',
        },
        // the other settings: read-only here, changed on the PC console
        ...(me.role === 'admin'
          ? [
              {
                label: '设置',
                brief: '公海规则、销售阶段、审批流程、字段管理等（只读）',
                url: '/pages/settings/index',
              },
            ]
          : []),
      ]

async function loadFeed(page: HomeThis) {
  page.setData({ feed: feedLoading() })
  page.setData({ feed: await feedSection(api(), {}, errorText) })
}

/** 工作台 (shared/view/home.ts): my due reminders, my leads, today's numbers, quick add, the modules. */
definePage({
  data: {
    userName: '',
    error: '',
    modules: homeModules.map((m) => ({ ...m, soon: !m.page })),
    reminders: [],
    leads: [],
    briefing: [],
    settings: [],
    feed: feedLoading(),
    feedTitle: FEED_TITLE,
    feedEmpty: FEED_EMPTY,
  } as HomeData,
  async onLoad() {
    try {
      // opened straight from a card there is no session yet: /api/me logs in through the 401 retry
      const me = currentUser() ?? (await api().auth.me())
      this.setData({ userName: me.name, error: '', settings: settingsFor(me) })
      await Promise.all([loadBoard(this, me), loadFeed(this)])
    } catch (error) {
      this.setData({ error: errorText(error) })
    }
  },
  /** 重试 of the 动态 section alone */
  onFeedRetry() {
    return loadFeed(this)
  },
  onFeedTap(event: Tap) {
    const url = feedMiniPage(event.currentTarget.dataset.id!)
    if (url) ddApi().navigateTo({ url })
  },
  onFeedAll() {
    ddApi().navigateTo({ url: '/pages/feed/index' })
  },
  async onPullDownRefresh() {
    await this.onLoad()
    ddApi().stopPullDownRefresh()
  },
  onModuleTap(event: Tap) {
    const module = homeModules.find((m) => m.path === event.currentTarget.dataset.path)
    if (module?.page) ddApi().navigateTo({ url: module.page })
    else ddApi().showToast({ content: `${module?.label ?? '该模块'}即将上线`, type: 'none' })
  },
  onSearchTap() {
    ddApi().navigateTo({ url: '/pages/search/index' })
  },
  onReminderTap(event: Tap) {
    ddApi().navigateTo({
      url: `/pages/reminder/detail?id=${encodeURIComponent(event.currentTarget.dataset.id!)}`,
    })
  },
  onLeadTap(event: Tap) {
    ddApi().navigateTo({
      url: `/pages/lead/detail?id=${encodeURIComponent(event.currentTarget.dataset.id!)}`,
    })
  },
  onSettingsTap(event: Tap) {
    ddApi().navigateTo({ url: event.currentTarget.dataset.url! })
  },
  async onQuickAdd() {
    const index = await chooseFrom(
      '快速新建',
      quickAdds.map((q) => q.label),
    )
    if (index >= 0) ddApi().navigateTo({ url: `/${miniPage(quickAdds[index].collection, 'form')}` })
  },
})
