import { api } from '../api/session.js'
import { ddApi, ddCall, type PageInstance } from '../host.js'
import type { RecordModule } from '../modules/types.js'
import { errorText } from './errors.js'
import { displayValue, formFields, readForm, type FormFieldView } from './form.js'
import { listPage } from './list-page.js'
import { markStale, takeStale } from './stale.js'

/** 产品列表, 竞争对手列表...: the generic list over a module's API. */
export const recordListPage = (module: RecordModule) =>
  listPage({
    title: module.title,
    searchPlaceholder: module.searchPlaceholder,
    fetch: (args) => module.api(api()).list(args),
    row: module.row,
    detailPage: module.pages.detail,
    formPage: module.pages.form,
    staleKey: module.collection,
  })

export interface DetailData {
  id: string
  title: string
  moduleTitle: string
  fields: { label: string; value: string }[]
  loading: boolean
  error: string
  /** the record has been shown at least once */
  loaded: boolean
}

type DetailThis = PageInstance<DetailData>

/** A record's detail page, opened with `?id=` (from a list, or a DingTalk card's deep link). */
export function recordDetailPage(module: RecordModule) {
  async function load(page: DetailThis) {
    page.setData({ loading: true, error: '' })
    try {
      const record = await module.api(api()).get(page.data.id)
      page.setData({
        title: module.row(record).title,
        fields: module.fields.map((f) => ({ label: f.label, value: displayValue(f, record[f.name]) })),
        loading: false,
        loaded: true,
      })
    } catch (error) {
      page.setData({ loading: false, error: errorText(error) })
    }
  }

  return {
    data: {
      id: '',
      title: '',
      moduleTitle: module.title,
      fields: [],
      loading: false,
      error: '',
      loaded: false,
    } as DetailData,
    onLoad(this: DetailThis, query: { id?: string } = {}) {
      if (!query.id) return this.setData({ error: `没有指定要查看的${module.title}` })
      this.setData({ id: query.id })
      return load(this)
    },
    onShow(this: DetailThis) {
      // an edit saved on the form page: show the new values
      if (this.data.loaded && takeStale(`${module.key}:${this.data.id}`)) return load(this)
    },
    onRetry(this: DetailThis) {
      return load(this)
    },
    onEdit(this: DetailThis) {
      ddApi().navigateTo({ url: `${module.pages.form}?id=${encodeURIComponent(this.data.id)}` })
    },
    async onDelete(this: DetailThis) {
      const { confirm } = await ddCall<{ confirm: boolean }>((callbacks) =>
        ddApi().confirm({
          title: '删除',
          content: `删除「${this.data.title}」？删除后可在回收站恢复。`,
          confirmButtonText: '删除',
          cancelButtonText: '取消',
          ...callbacks,
        }),
      )
      if (!confirm) return
      try {
        await module.api(api()).remove(this.data.id)
        markStale(module.collection)
        ddApi().showToast({ content: '已删除，可在回收站恢复', type: 'success' })
        ddApi().navigateBack()
      } catch (error) {
        ddApi().showToast({ content: errorText(error), type: 'fail' })
      }
    },
  }
}

export interface FormData {
  id: string
  version: number
  moduleTitle: string
  fields: FormFieldView[]
  loading: boolean
  submitting: boolean
  error: string
}

type FormThis = PageInstance<FormData>

/** Any printable key unique enough for one device: retries of one submit carry the same one. */
const newIdempotencyKey = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`

/** New record (no query) or edit (`?id=`): validated with the shared schema before anything is sent. */
export function recordFormPage(module: RecordModule) {
  const idempotencyKeys = new WeakMap<object, string>()

  async function load(page: FormThis) {
    page.setData({ loading: true, error: '' })
    try {
      const record = await module.api(api()).get(page.data.id)
      page.setData({ fields: formFields(module.fields, record), version: record.version, loading: false })
    } catch (error) {
      page.setData({ loading: false, error: errorText(error) })
    }
  }

  return {
    data: {
      id: '',
      version: 0,
      moduleTitle: module.title,
      fields: formFields(module.fields),
      loading: false,
      submitting: false,
      error: '',
    } as FormData,
    onLoad(this: FormThis, query: { id?: string } = {}) {
      idempotencyKeys.set(this, newIdempotencyKey())
      if (!query.id) return
      this.setData({ id: query.id })
      return load(this)
    },
    onRetry(this: FormThis) {
      return load(this)
    },
    onFieldChange(this: FormThis, name: string, value: string | boolean) {
      this.setData({
        fields: this.data.fields.map((f) => (f.name === name ? { ...f, value, error: '' } : f)),
      })
    },
    async onSubmit(this: FormThis) {
      if (this.data.submitting) return
      const form = readForm(module.input, this.data.fields)
      if (!form.ok) {
        this.setData({ fields: this.data.fields.map((f) => ({ ...f, error: form.errors[f.name] ?? '' })) })
        return
      }
      this.setData({ submitting: true, error: '' })
      const records = module.api(api())
      try {
        const { id, version } = this.data
        const saved = id
          ? await records.update(id, { ...(form.value as object), version })
          : await records.create(form.value, idempotencyKeys.get(this))
        markStale(module.collection)
        markStale(`${module.key}:${saved.id}`)
        ddApi().showToast({ content: '已保存', type: 'success' })
        if (id) ddApi().navigateBack()
        else ddApi().redirectTo({ url: `${module.pages.detail}?id=${encodeURIComponent(saved.id)}` })
      } catch (error) {
        this.setData({ error: errorText(error) })
      } finally {
        this.setData({ submitting: false })
      }
    },
  }
}
