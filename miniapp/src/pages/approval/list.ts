import type { Approval } from '../../../../shared/schemas/index.js'
import { APPROVAL_BOXES, type ApprovalBoxName, approvalRow } from '../../../../shared/view/approvals.js'
import { api } from '../../api/session.js'
import { ddApi, definePage, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { takeStale } from '../../lib/stale.js'

interface ListData {
  box: ApprovalBoxName
  tabs: { box: string; label: string; active: boolean }[]
  rows: ReturnType<typeof approvalRow>[]
  cursor: string | null
  hasMore: boolean
  loaded: boolean
  loading: boolean
  empty: boolean
  error: string
}
type ListThis = PageInstance<ListData> & { request?: number }

const tabsFor = (box: ApprovalBoxName) => APPROVAL_BOXES.map((b) => ({ ...b, active: b.box === box }))
const isBox = (box: string | undefined): box is ApprovalBoxName => APPROVAL_BOXES.some((b) => b.box === box)

let requests = 0
async function load(page: ListThis, append: boolean) {
  const request = (page.request = ++requests)
  page.setData({ loading: true, error: '' })
  try {
    const result = await api().approvals.list({
      box: page.data.box,
      limit: 20,
      cursor: append ? (page.data.cursor ?? undefined) : undefined,
    })
    if (page.request !== request) return
    const rows = [...(append ? page.data.rows : []), ...result.items.map((a: Approval) => approvalRow(a))]
    page.setData({
      rows,
      cursor: result.nextCursor,
      hasMore: result.nextCursor !== null,
      loaded: true,
      loading: false,
      empty: rows.length === 0,
    })
  } catch (error) {
    if (page.request === request) page.setData({ loading: false, error: errorText(error) })
  }
}

/** 审批: 待我审批 / 我已审批 / 我发起的 (`?box=`), newest first; a row opens the approval. */
definePage({
  data: {
    box: 'todo',
    tabs: tabsFor('todo'),
    rows: [],
    cursor: null,
    hasMore: false,
    loaded: false,
    loading: false,
    empty: false,
    error: '',
  } as ListData,
  onLoad(this: ListThis, query: { box?: string } = {}) {
    const box = isBox(query.box) ? query.box : 'todo'
    this.setData({ box, tabs: tabsFor(box) })
    return load(this, false)
  },
  onShow(this: ListThis) {
    if (this.data.loaded && takeStale('approvals')) return load(this, false)
  },
  onTabTap(this: ListThis, event: { currentTarget: { dataset: { box: string } } }) {
    const box = event.currentTarget.dataset.box
    if (!isBox(box) || box === this.data.box) return
    this.setData({ box, tabs: tabsFor(box), rows: [], loaded: false, empty: false })
    return load(this, false)
  },
  async onPullDownRefresh(this: ListThis) {
    await load(this, false)
    ddApi().stopPullDownRefresh()
  },
  onReachBottom(this: ListThis) {
    if (this.data.hasMore && !this.data.loading) return load(this, true)
  },
  onRetry(this: ListThis) {
    return load(this, false)
  },
  onItemTap(this: ListThis, id: string) {
    ddApi().navigateTo({ url: `/pages/approval/detail?id=${encodeURIComponent(id)}` })
  },
})
