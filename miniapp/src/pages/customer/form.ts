import { duplicateReasonLabels, labelOf } from '../../../../shared/view/labels.js'
import { api } from '../../api/session.js'
import { definePage } from '../../host.js'
import { loadNames, nameOf } from '../../lib/names.js'
import { recordFormPage, type FormThis } from '../../lib/record-pages.js'
import { recordModules } from '../../modules/registry.js'

/** wait this long after the last keystroke before asking (one request per pause, not per character) */
const DUPLICATE_CHECK_DELAY_MS = 300
const OWNER = { name: 'ownerId', label: '客户经理', kind: 'user' } as const
const timers = new WeakMap<object, ReturnType<typeof setTimeout>>()

/** 查重: customers (the pool's and other owners' too) whose name looks like the one being typed. */
async function checkDuplicates(page: FormThis, name: string) {
  if (name.trim().length < 2 || page.data.id) return page.setData({ hints: [] })
  try {
    const { items } = await api().customers.duplicates({ name: name.trim() })
    await loadNames([OWNER], { ownerId: items.find((h) => h.ownerId)?.ownerId })
    // the name may have changed while we asked
    if (page.data.fields.find((f) => f.name === 'name')?.value !== name) return
    page.setData({
      hints: items.map((h) => ({
        id: h.id,
        text: `${h.name}（${labelOf(duplicateReasonLabels, h.reason)}，${
          h.ownerId ? `客户经理 ${nameOf(OWNER, h.ownerId) ?? h.ownerId}` : '在公海'
        }）`,
      })),
    })
  } catch {
    // 查重 only advises: a failure leaves the form as it is
  }
}

definePage(
  recordFormPage(recordModules.customers, {
    onChanged(page, name, value) {
      if (name !== 'name' || typeof value !== 'string') return
      clearTimeout(timers.get(page))
      timers.set(
        page,
        setTimeout(() => void checkDuplicates(page, value), DUPLICATE_CHECK_DELAY_MS),
      )
    },
  }),
)
