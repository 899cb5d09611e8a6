import { duplicateBrief } from '../../../../shared/view/merge.js'
import { api, currentUser } from '../../api/session.js'
import { ddApi, definePage, type PageInstance } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { loadNames, nameOf } from '../../lib/names.js'
import { toast } from '../../lib/pickers.js'

const OWNER = { name: 'ownerId', label: '客户经理', kind: 'user' } as const

interface Hit {
  id: string
  title: string
  brief: string
  ownerId: string | null
}

interface DuplicatesData {
  name: string
  phone: string
  rows: Hit[]
  /** a search has answered (the empty state is only for an answer) */
  searched: boolean
  loading: boolean
  error: string
}
type DuplicatesThis = PageInstance<DuplicatesData>

async function search(page: DuplicatesThis) {
  const name = page.data.name.trim()
  const phone = page.data.phone.replace(/\D/g, '')
  if (!name && !phone) return toast('请输入客户名称或电话')
  page.setData({ loading: true, error: '' })
  try {
    const { items } = await api().customers.duplicates({
      ...(name && { name }),
      ...(phone && { phone }),
    })
    await Promise.all(items.map((h) => loadNames([OWNER], { ownerId: h.ownerId })))
    page.setData({
      rows: items.map((h) => ({
        id: h.id,
        title: h.name,
        brief: duplicateBrief(h, h.ownerId ? nameOf(OWNER, h.ownerId) : undefined),
        ownerId: h.ownerId,
      })),
      searched: true,
      loading: false,
    })
  } catch (error) {
    page.setData({ loading: false, error: errorText(error) })
  }
}

/**
 * 查重: customers of any owner (and the pool's) whose name looks like, or whose phone is, the one typed —
 * before entering a customer, or to find what to merge. `?name=` starts with a name.
 */
definePage({
  data: { name: '', phone: '', rows: [], searched: false, loading: false, error: '' } as DuplicatesData,
  onLoad(query: { name?: string } = {}) {
    if (!query.name) return
    this.setData({ name: decodeURIComponent(query.name) })
    return search(this)
  },
  onNameInput(event: { detail: { value: string } }) {
    this.setData({ name: event.detail.value })
  },
  onPhoneInput(event: { detail: { value: string } }) {
    this.setData({ phone: event.detail.value })
  },
  onSearch() {
    return search(this)
  },
  onRetry() {
    return search(this)
  },
  /** a hit: its detail where the caller may see it (the pool's, their own; a manager's team: the API says) */
  onHitTap(event: { currentTarget: { dataset: { id: string } } }) {
    const hit = this.data.rows.find((r) => r.id === event.currentTarget.dataset.id)
    if (!hit) return
    const me = currentUser()
    if (hit.ownerId && me?.role === 'member' && hit.ownerId !== me.id)
      return toast(`该客户由${nameOf(OWNER, hit.ownerId) ?? '其他同事'}负责，无权查看`)
    ddApi().navigateTo({ url: `/pages/customer/detail?id=${encodeURIComponent(hit.id)}` })
  },
})
