/**
 * 字段管理 in the mini-program: the definitions stored at sign-in shape the customer form (a choice
 * field, a required date field), which refuses to send without the date and sends the values as
 * `custom`; the attachment picker uploads each photo with the form the API signed, shows its progress
 * and a preview, and keeps its id; a save refused for an attachment (422 naming `attachments.1`) marks
 * the 附件 field and keeps the input.
 */
import { describe, expect, it } from 'vitest'
import { BUILT_IN_FIELDS } from '../../shared/schemas/fields.js'
import { LOGIN } from './fake-api.js'
import { customField, fakeCrm } from './fake-crm.js'
import { fakeDd, type HttpCall, loadPage } from './host.js'

const PAGES = '../../miniapp/src/pages'

const star = customField('cf_star0001', '客户星级', 'select', {
  options: [
    { value: 'five', label: '五星' },
    { value: 'old', label: '旧星级', disabled: true },
  ],
})
const date = customField('cf_date0001', '签约意向日期', 'date', { required: true })
const definitions = {
  version: 1,
  collections: { ...BUILT_IN_FIELDS, customers: [...BUILT_IN_FIELDS.customers, star, date] },
}

async function customerForm(options: Parameters<typeof fakeDd>[0] = {}) {
  const crm = fakeCrm()
  const signed: HttpCall[] = []
  const host = fakeDd({
    ...options,
    http: (request) => {
      if (new URL(request.url).pathname === '/api/attachments') {
        signed.push(request)
        return {
          status: 201,
          body: {
            id: `ATT${signed.length}`,
            uploadUrl: 'https://bucket.oss.test/',
            uploadHeaders: { key: `ding-demo/attachments/ATT${signed.length}/file.jpg`, signature: 's' },
            expiresAt: '2030-01-01T00:00:00Z',
          },
        }
      }
      return crm.http(request)
    },
  })
  host.dd.setStorageSync({ key: 'crm.session', data: LOGIN })
  host.dd.setStorageSync({ key: 'crm.fields', data: definitions })
  host.calls.length = 0
  const page = await loadPage(`${PAGES}/customer/form.ts`, host.dd)
  await page.callMethod('onLoad', {})
  return { host, crm, page, signed }
}

const fieldOf = (page: { data: { fields: { name: string }[] } }, name: string) =>
  page.data.fields.find((f) => f.name === name) as Record<string, any>

describe('a custom field on the mini-program form', () => {
  it('shows the fields, refuses to send without the required date, then sends the values as custom', async () => {
    const { host, crm, page } = await customerForm({ date: ['2026-12-20'] })
    expect(fieldOf(page, 'custom.cf_star0001')).toMatchObject({
      label: '客户星级',
      control: 'enum',
      options: ['五星'],
    })
    expect(fieldOf(page, 'custom.cf_date0001')).toMatchObject({
      label: '签约意向日期',
      control: 'tap',
      required: true,
    })

    await page.callMethod('onFieldChange', 'name', '星级客户')
    await page.callMethod('onFieldChange', 'custom.cf_star0001', 'five')
    await page.callMethod('onSubmit')
    expect(fieldOf(page, 'custom.cf_date0001').error).toBe('「签约意向日期」为必填项')
    expect(host.requests().filter((r) => r.method === 'POST')).toEqual([])

    await page.callMethod('onTapField', 'custom.cf_date0001')
    await page.callMethod('onSubmit')
    expect(crm.posted.find((p) => p.path === 'POST /api/customers')?.body).toMatchObject({
      name: '星级客户',
      custom: { cf_star0001: 'five', cf_date0001: '2026-12-20' },
    })
  })

  it('marks the 附件 field with the server’s message when the save is refused for an attachment', async () => {
    const { crm, page } = await customerForm()
    const answer = crm.http
    crm.http = (request) =>
      request.method === 'POST' && new URL(request.url).pathname === '/api/customers'
        ? {
            status: 422,
            body: {
              error: {
                code: 'attachment.not_found',
                message: 'attachments.1: 附件不存在或无权使用',
                details: [{ path: ['attachments', 1], message: '附件不存在或无权使用' }],
              },
            },
          }
        : answer(request)
    await page.callMethod('onFieldChange', 'name', '附件被拒客户')
    await page.callMethod('onFieldChange', 'custom.cf_date0001', '2026-12-21')
    await page.callMethod('onFieldChange', 'attachments', ['ATT1', 'ATT9'])
    await page.callMethod('onSubmit')
    expect(fieldOf(page, 'attachments')).toMatchObject({
      error: '附件不存在或无权使用',
      value: ['ATT1', 'ATT9'],
    })
    expect(fieldOf(page, 'name')).toMatchObject({ error: '', value: '附件被拒客户' })
    expect(page.data).toMatchObject({ error: '', submitting: false })
  })

  it('uploads the chosen photos with the signed form, shows the progress, keeps their ids', async () => {
    const uploads: { url: string; formData?: Record<string, string> }[] = []
    const { crm, page, signed } = await customerForm({
      images: [{ path: 'file://tmp/visit.jpg', size: 2048 }],
      upload: (options) => (uploads.push(options), 204),
      uploadProgress: [40, 100],
    })
    // what the row showed while the photo went
    const shown: string[] = []
    const setData = page.setData.bind(page)
    page.setData = (patch, callback) => {
      setData(patch, callback)
      const text = fieldOf(page, 'attachments').progressText
      if (text && shown.at(-1) !== text) shown.push(text)
    }
    await page.callMethod('onTapField', 'attachments')
    expect(shown).toEqual(['上传中 1/1 · 0%', '上传中 1/1 · 40%', '上传中 1/1 · 100%'])
    expect(fieldOf(page, 'attachments')).toMatchObject({
      progressText: '',
      previews: ['file://tmp/visit.jpg'],
    })
    expect(signed[0].body).toEqual({ fileName: 'visit.jpg', contentType: 'image/jpeg', size: 2048 })
    expect(uploads).toEqual([
      expect.objectContaining({
        url: 'https://bucket.oss.test/',
        formData: { key: 'ding-demo/attachments/ATT1/file.jpg', signature: 's' },
      }),
    ])
    expect(fieldOf(page, 'attachments')).toMatchObject({ value: ['ATT1'], text: '1 个附件' })
    await page.callMethod('onFieldChange', 'name', '附件客户')
    await page.callMethod('onFieldChange', 'custom.cf_date0001', '2026-12-21')
    await page.callMethod('onSubmit')
    expect(crm.posted.find((p) => p.path === 'POST /api/customers')?.body).toMatchObject({
      attachments: ['ATT1'],
    })
  })
})
