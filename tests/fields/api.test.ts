/**
 * 字段管理 through the API: versioned definitions, custom values on every type checked on create and
 * patch, list filters on a custom choice and a custom date range served by their index, built-in
 * choice lists holding the demo data's own sources.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { ddbUsage, useStack } from '../helpers/stack.js'
import { csv, download, readXlsx, upload } from '../imports/files.js'

const t = useStack()
let admin: string
let sales: string

beforeAll(async () => {
  ;[admin, sales] = await Promise.all([t.login('admin'), t.login('sales1')])
})

const fieldsOf = async (collection: string) =>
  (await t.http('GET', `/api/settings/fields/${collection}`, { token: admin })).json

const save = (collection: string, body: unknown, token = admin) =>
  t.http('PUT', `/api/settings/fields/${collection}`, { token, body })

/** Adds custom fields to a collection (over what it has) and answers them by label. */
async function addFields(collection: string, fields: object[]) {
  const current = await fieldsOf(collection)
  const order = current.fields.length
  const { status, json } = await save(collection, {
    version: current.version,
    fields: [...current.fields, ...fields.map((f, i) => ({ order: order + i, ...f }))],
  })
  expect(status, JSON.stringify(json)).toBe(200)
  return Object.fromEntries(json.fields.map((f: { label: string; key: string }) => [f.label, f.key]))
}

const photo = Buffer.from('\x89PNG\r\n\x1a\n 拜访照片 '.repeat(20))
/** An attachment uploaded by the token's user (the signed form, then the bytes). */
async function put(token: string, bytes = photo, declared = bytes.length) {
  const { status, json } = await t.http('POST', '/api/attachments', {
    token,
    body: { fileName: '拜访.png', contentType: 'image/png', size: declared },
  })
  expect(status, JSON.stringify(json)).toBe(201)
  const form = new FormData()
  for (const [name, value] of Object.entries(json.uploadHeaders as Record<string, string>))
    form.append(name, value)
  form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'visit.png')
  const uploaded = await fetch(json.uploadUrl, { method: 'POST', body: form })
  return { id: json.id as string, uploaded: uploaded.status }
}

describe('definitions', () => {
  it('answers built-in fields at version 0, saves with keys given by the server, refuses a stale save', async () => {
    const first = await fieldsOf('contacts')
    expect(first.version).toBe(0)
    expect(first.fields[0]).toMatchObject({ key: 'name', builtIn: true })
    const saved = await save('contacts', {
      version: 0,
      fields: [...first.fields, { label: '爱好', type: 'text', order: 5 }],
    })
    expect(saved.status).toBe(200)
    expect(saved.json.version).toBe(1)
    expect(saved.json.fields.find((f: { label: string }) => f.label === '爱好').key).toMatch(
      /^cf_[a-z0-9]{8}$/,
    )
    const stale = await save('contacts', { version: 0, fields: first.fields })
    expect(stale.status).toBe(409)
    expect(stale.json.error.code).toBe('version.conflict')
    const all = await t.http('GET', '/api/settings/fields', { token: sales })
    expect(all.json.collections.contacts.map((f: { label: string }) => f.label)).toContain('爱好')
  })

  it('lets only an admin save', async () => {
    const { status } = await save('contacts', { version: 1, fields: [] }, sales)
    expect(status).toBe(403)
  })

  it('hides a removed field and brings it back with its values', async () => {
    const keys = await addFields('products', [{ label: '产地', type: 'text' }])
    const made = await t.http('POST', '/api/products', {
      token: admin,
      body: { name: '带产地', custom: { [keys['产地']]: '杭州' } },
    })
    expect(made.status).toBe(201)
    const current = await fieldsOf('products')
    const without = current.fields.filter((f: { key: string }) => f.key !== keys['产地'])
    const hidden = await save('products', { version: current.version, fields: without })
    expect(hidden.json.fields.find((f: { key: string }) => f.key === keys['产地']).removed).toBe(true)
    // a write may not set it while removed
    const refused = await t.http('POST', '/api/products', {
      token: admin,
      body: { name: 'x', custom: { [keys['产地']]: '宁波' } },
    })
    expect(refused.status).toBe(400)
    const restored = await save('products', {
      version: hidden.json.version,
      fields: hidden.json.fields.map((f: { removed: boolean }) => ({ ...f, removed: false })),
    })
    expect(restored.status).toBe(200)
    const read = await t.http('GET', `/api/products/${made.json.id}`, { token: admin })
    expect(read.json.custom).toEqual({ [keys['产地']]: '杭州' })
  })

  it('refuses a type change while records hold values (422), and new values in a fixed choice list', async () => {
    const current = await fieldsOf('products')
    const origin = current.fields.find((f: { label: string }) => f.label === '产地')
    const retyped = await save('products', {
      version: current.version,
      fields: current.fields.map((f: { key: string }) =>
        f.key === origin.key ? { ...f, type: 'textarea' } : f,
      ),
    })
    expect(retyped.status).toBe(422)
    expect(retyped.json.error.message).toContain('产地')
    const methods = await fieldsOf('followups')
    const more = await save('followups', {
      version: methods.version,
      fields: methods.fields.map((f: { key: string; options?: object[] }) =>
        f.key === 'method' ? { ...f, options: [...f.options!, { value: 'fax', label: '传真' }] } : f,
      ),
    })
    expect(more.status).toBe(400)
  })

  it("lists the demo data's own sources as 客户来源 choices, and they filter the list", async () => {
    const source = (await fieldsOf('customers')).fields.find((f: { key: string }) => f.key === 'source')
    expect(source.options.map((o: { label: string }) => o.label)).toEqual(
      expect.arrayContaining(['转介绍', '官网', '陌拜', '市场活动']),
    )
    const { json } = await t.http('GET', `/api/customers?source=${encodeURIComponent('转介绍')}`, {
      token: admin,
    })
    expect(json.items.length).toBeGreaterThan(0)
    expect(json.items.every((c: { source: string }) => c.source === '转介绍')).toBe(true)
  })
})

describe('values', () => {
  let keys: Record<string, string>
  beforeAll(async () => {
    keys = await addFields('leads', [
      {
        label: '行业细分',
        type: 'select',
        options: [
          { value: 'saas', label: 'SaaS' },
          { value: 'old', label: '旧', disabled: true },
        ],
      },
      { label: '首次接触', type: 'date', required: true },
      { label: '预算', type: 'money' },
      { label: '人数', type: 'number' },
      {
        label: '标签',
        type: 'multiselect',
        options: [
          { value: 'a', label: '甲' },
          { value: 'b', label: '乙' },
        ],
      },
      { label: '已签NDA', type: 'boolean' },
      { label: '对接人', type: 'user' },
      { label: '对接部门', type: 'dept' },
      { label: '座机', type: 'phone' },
      { label: '邮箱', type: 'email' },
      { label: '主页', type: 'url' },
      { label: '拜访时间', type: 'datetime' },
      { label: '说明', type: 'textarea' },
      { label: '资料', type: 'attachments' },
    ])
  })
  const create = (custom: Record<string, unknown>) =>
    t.http('POST', '/api/leads', { token: sales, body: { title: '自定义线索', custom } })

  it('takes a good value of every type, money in yuan both ways', async () => {
    const custom = {
      [keys['行业细分']]: 'saas',
      [keys['首次接触']]: '2026-11-01',
      [keys['预算']]: 1234.5,
      [keys['人数']]: 12,
      [keys['标签']]: ['a', 'b'],
      [keys['已签NDA']]: true,
      [keys['对接人']]: 'sales2',
      [keys['对接部门']]: '2',
      [keys['座机']]: '0571-88886666',
      [keys['邮箱']]: 'a@b.cn',
      [keys['主页']]: 'https://example.com',
      [keys['拜访时间']]: '2026-11-02T09:00:00+08:00',
      [keys['说明']]: '多行\n说明',
      [keys['资料']]: [(await put(sales)).id],
    }
    const { status, json } = await create(custom)
    expect(status, JSON.stringify(json)).toBe(201)
    expect(json.custom[keys['预算']]).toBe(1234.5)
    expect(json.custom[keys['座机']]).toBe('057188886666')
    const read = await t.http('GET', `/api/leads/${json.id}`, { token: sales })
    expect(read.json.custom[keys['预算']]).toBe(1234.5)
  })

  it('refuses a bad value of each type with path custom.<key> and the label', async () => {
    const bad: [string, unknown][] = [
      ['行业细分', 'nope'],
      ['行业细分', 'old'],
      ['预算', 1.234],
      ['人数', '12'],
      ['标签', ['a', 'a']],
      ['已签NDA', 'yes'],
      ['对接人', 7],
      ['座机', '12345'],
      ['邮箱', 'not-mail'],
      ['主页', 'example'],
      ['拜访时间', '2026-11-02'],
      ['首次接触', '2026/11/01'],
    ]
    for (const [label, value] of bad) {
      const { status, json } = await create({ [keys['首次接触']]: '2026-11-01', [keys[label]]: value })
      expect(status, `${label} ${JSON.stringify(value)}`).toBe(400)
      expect(json.error.code).toBe('validation.failed')
      expect(json.error.details[0].path).toEqual(['custom', keys[label]])
    }
    const missing = await create({})
    expect(missing.status).toBe(400)
    expect(missing.json.error.message).toContain('「首次接触」为必填项')
  })

  it('patches one value, keeps the others, may not clear a required one', async () => {
    const { json: lead } = await create({ [keys['首次接触']]: '2026-11-01', [keys['人数']]: 3 })
    const patched = await t.http('PATCH', `/api/leads/${lead.id}`, {
      token: sales,
      body: { version: lead.version, custom: { [keys['人数']]: null, [keys['已签NDA']]: false } },
    })
    expect(patched.status, JSON.stringify(patched.json)).toBe(200)
    expect(patched.json.custom).toEqual({ [keys['首次接触']]: '2026-11-01', [keys['已签NDA']]: false })
    const cleared = await t.http('PATCH', `/api/leads/${lead.id}`, {
      token: sales,
      body: { version: patched.json.version, custom: { [keys['首次接触']]: null } },
    })
    expect(cleared.status).toBe(400)
    expect(cleared.json.error.details[0].path).toEqual(['custom', keys['首次接触']])
  })
})

describe('list filters', () => {
  let keys: Record<string, string>
  const ids: Record<string, string> = {}
  beforeAll(async () => {
    keys = await addFields('customers', [
      {
        label: '客户等级',
        type: 'select',
        showInList: true,
        options: [
          { value: 'vip', label: '重要' },
          { value: 'std', label: '普通' },
        ],
      },
      { label: '首次拜访', type: 'date' },
    ])
    const rows: [string, string, string][] = [
      ['等级甲', 'vip', '2026-10-01'],
      ['等级乙', 'std', '2026-10-15'],
      ['等级丙', 'vip', '2026-11-20'],
    ]
    for (const [name, level, visit] of rows) {
      const { json } = await t.http('POST', '/api/customers', {
        token: sales,
        body: { name, custom: { [keys['客户等级']]: level, [keys['首次拜访']]: visit } },
      })
      ids[name] = json.id
    }
  })
  const names = (json: { items: { name: string }[] }) => json.items.map((c) => c.name).sort()

  it('filters on a custom choice through its index: one Query and one BatchGet', async () => {
    const { status, json, headers } = await t.http('GET', `/api/customers?custom.${keys['客户等级']}=vip`, {
      token: sales,
    })
    expect(status, JSON.stringify(json)).toBe(200)
    expect(names(json)).toEqual(['等级丙', '等级甲'])
    expect(json.items[0].name).toBe('等级丙') // newest first
    expect(ddbUsage(headers).calls).toBe(2)
  })

  it('filters on a custom date range', async () => {
    const { json } = await t.http(
      'GET',
      `/api/customers?custom.${keys['首次拜访']}From=2026-10-10&custom.${keys['首次拜访']}To=2026-11-30`,
      { token: sales },
    )
    expect(names(json)).toEqual(['等级丙', '等级乙'])
  })

  it("combines a custom filter with the list's own filters and scope", async () => {
    const mine = await t.http(
      'GET',
      `/api/customers?custom.${keys['客户等级']}=vip&q=${encodeURIComponent('丙')}`,
      {
        token: sales,
      },
    )
    expect(names(mine.json)).toEqual(['等级丙'])
    const other = await t.login('sales2')
    const theirs = await t.http('GET', `/api/customers?custom.${keys['客户等级']}=vip`, { token: other })
    expect(theirs.json.items).toEqual([])
  })

  it('follows a moved value and pages with a cursor', async () => {
    const { json: current } = await t.http('GET', `/api/customers/${ids['等级乙']}`, { token: sales })
    await t.http('PATCH', `/api/customers/${ids['等级乙']}`, {
      token: sales,
      body: { version: current.version, custom: { [keys['客户等级']]: 'vip' } },
    })
    const first = await t.http('GET', `/api/customers?limit=2&custom.${keys['客户等级']}=vip`, {
      token: sales,
    })
    expect(first.json.items).toHaveLength(2)
    const next = await t.http(
      'GET',
      `/api/customers?limit=2&custom.${keys['客户等级']}=vip&cursor=${first.json.nextCursor}`,
      { token: sales },
    )
    expect(next.status, JSON.stringify(next.json)).toBe(200)
    expect([...names(first.json), ...names(next.json)].sort()).toEqual(['等级丙', '等级乙', '等级甲'])
  })

  it('shows a changed custom value in the timeline by its label', async () => {
    const { json: timeline } = await t.http('GET', `/api/customers/${ids['等级乙']}/timeline`, {
      token: sales,
    })
    const change = timeline.items.flatMap((a: { changes?: object[] }) => a.changes ?? [])
    expect(change).toContainEqual({ field: '客户等级', from: '普通', to: '重要' })
  })

  it('shows a changed custom value of a deal record in its timeline by its label too', async () => {
    const { 合同风险: risk } = await addFields('contracts', [
      {
        label: '合同风险',
        type: 'select',
        options: [
          { value: 'low', label: '低' },
          { value: 'high', label: '高' },
        ],
      },
    ])
    const made = await t.http('POST', '/api/contracts', {
      token: sales,
      body: {
        customerId: ids['等级甲'],
        number: 'HT-CF-001',
        name: '风险合同',
        amount: 1000,
        signedAt: '2026-11-02',
        custom: { [risk]: 'low' },
      },
    })
    expect(made.status, JSON.stringify(made.json)).toBe(201)
    const patched = await t.http('PATCH', `/api/contracts/${made.json.id}`, {
      token: sales,
      body: { version: made.json.version, custom: { [risk]: 'high' } },
    })
    expect(patched.status, JSON.stringify(patched.json)).toBe(200)
    const { json: timeline } = await t.http('GET', `/api/contracts/${made.json.id}/timeline`, {
      token: sales,
    })
    const changes = timeline.items.flatMap((a: { changes?: object[] }) => a.changes ?? [])
    expect(changes).toContainEqual({ field: '合同风险', from: '低', to: '高' })
  })

  it('merges a custom value chosen from a source, and the recycle bin keeps it filterable', async () => {
    const level = keys['客户等级']
    const make = async (name: string, value: string) =>
      (
        await t.http('POST', '/api/customers', {
          token: sales,
          body: { name, custom: { [level]: value } },
        })
      ).json
    const [target, source] = [await make('合并目标', 'std'), await make('合并来源', 'vip')]
    const merged = await t.http('POST', '/api/customers/merge', {
      token: sales,
      body: { targetId: target.id, sourceIds: [source.id], custom: { [level]: source.id } },
    })
    expect(merged.status, JSON.stringify(merged.json)).toBe(200)
    expect(merged.json.target.custom[level]).toBe('vip')
    const vip = async () =>
      names((await t.http('GET', `/api/customers?custom.${level}=vip&limit=50`, { token: sales })).json)
    expect(await vip()).toContain('合并目标')
    expect((await t.http('DELETE', `/api/customers/${target.id}`, { token: sales })).status).toBe(204)
    expect(await vip()).not.toContain('合并目标')
    const restored = await t.http('POST', `/api/recycle-bin/customers/${target.id}/restore`, { token: sales })
    expect(restored.status, JSON.stringify(restored.json)).toBe(200)
    expect(await vip()).toContain('合并目标')
  })

  it('refuses a filter on an unknown field and a value filter on a date', async () => {
    expect((await t.http('GET', '/api/customers?custom.cf_nothere=1', { token: sales })).status).toBe(400)
    const onDate = await t.http('GET', `/api/customers?custom.${keys['首次拜访']}=2026-10-01`, {
      token: sales,
    })
    expect(onDate.status).toBe(400)
  })

  it('reads the definitions from the warm copy: a list pays no extra call for them', async () => {
    await t.http('GET', '/api/customers', { token: sales })
    const { headers } = await t.http('GET', '/api/customers', { token: sales })
    expect(ddbUsage(headers).calls).toBe(1)
  })
})

describe('import and export', () => {
  it('imports custom columns by label, checks them, and exports them back the same', async () => {
    const keys = await addFields('products', [
      {
        label: '质保',
        type: 'select',
        options: [
          { value: 'y1', label: '一年' },
          { value: 'y3', label: '三年' },
        ],
      },
      { label: '成本价', type: 'money' },
      { label: '上市日期', type: 'date', required: true },
    ])
    const file = csv([
      ['产品名称', '质保', '成本价', '上市日期'],
      ['导入甲', '三年', '88.5', '2026-01-02'],
      ['导入乙', '五年', '1', '2026-01-02'],
      ['导入丙', '一年', '2', ''],
    ])
    const { json: job } = await upload(t, admin, 'products', file, {}, 'p.csv')
    expect(job.status).toBe('done')
    expect(job.created).toBe(1)
    expect(job.errors.map((e: { message: string }) => e.message)).toEqual([
      expect.stringContaining('质保'),
      expect.stringContaining('「上市日期」为必填项'),
    ])
    const { json: list } = await t.http('GET', `/api/products?q=${encodeURIComponent('导入甲')}`, {
      token: admin,
    })
    expect(list.items[0].custom).toEqual({
      [keys['质保']]: 'y3',
      [keys['成本价']]: 88.5,
      [keys['上市日期']]: '2026-01-02',
    })
    const exported = await readXlsx(
      (await download(t, admin, `/api/exports/products?format=xlsx&q=${encodeURIComponent('导入甲')}`)).bytes,
    )
    const row = Object.fromEntries(exported[0].map((header, i) => [header, exported[1][i]]))
    expect(row).toMatchObject({ 质保: '三年', 成本价: '88.5', 上市日期: '2026-01-02' })
  })
})

describe('attachments', () => {
  it('uploads by a signed form under the tenant, refuses a size beyond the limit or the declaration', async () => {
    const { status, json } = await t.http('POST', '/api/attachments', {
      token: sales,
      body: { fileName: 'big.zip', contentType: 'application/zip', size: 21 * 1024 * 1024 },
    })
    expect(`${status} ${json.error.code}`).toBe('413 request.too_large')
    const ok = await put(sales)
    expect(ok.uploaded).toBe(204)
    const lying = await put(sales, photo, 10)
    expect(lying.uploaded).toBe(413)
  })

  it('is read by whoever sees a record holding it, and by nobody else', async () => {
    const { id } = await put(sales)
    const { json: customer } = await t.http('POST', '/api/customers', {
      token: sales,
      body: { name: '有附件的客户' },
    })
    const followUp = await t.http('POST', '/api/followups', {
      token: sales,
      body: {
        customerId: customer.id,
        method: 'visit',
        content: '拜访，拍了照片',
        followedAt: '2026-11-18T10:00:00+08:00',
        attachments: [id],
      },
    })
    expect(followUp.status, JSON.stringify(followUp.json)).toBe(201)
    const other = await t.login('sales2')
    expect((await t.http('GET', `/api/attachments/${id}`, { token: other })).status).toBe(404)
    const manager = await t.login('mgr1')
    const seen = await t.http('GET', `/api/attachments/${id}`, { token: manager })
    expect(seen.status, JSON.stringify(seen.json)).toBe(200)
    expect(seen.json).toMatchObject({ fileName: '拜访.png', contentType: 'image/png', size: photo.length })
    const file = await fetch(seen.json.downloadUrl)
    expect(Buffer.from(await file.arrayBuffer()).equals(photo)).toBe(true)
    expect(new URL(seen.json.downloadUrl).searchParams.get('key')).toMatch(/^ding[^/]*\/attachments\//)
    // the follow-up deleted (in the recycle bin), the object stays: nothing deletes it
    await t.http('DELETE', `/api/followups/${followUp.json.id}`, { token: sales })
    expect((await t.http('GET', `/api/attachments/${id}`, { token: sales })).status).toBe(200)
  })
  describe('on a record write', () => {
    let photos: string
    let other: string
    let manager: string
    beforeAll(async () => {
      ;({ 现场照片: photos } = await addFields('customers', [{ label: '现场照片', type: 'attachments' }]))
      ;[other, manager] = await Promise.all([t.login('sales2'), t.login('mgr1')])
    })
    const customer = (token: string, body: object) => t.http('POST', '/api/customers', { token, body })

    it("refuses someone else's attachment on a record the writer cannot see, or an unknown one, naming the field; writes nothing", async () => {
      const [{ id: mine }, { id: theirs }] = await Promise.all([put(sales), put(other)])
      const held = await customer(other, { name: '别人的附件客户', attachments: [theirs] })
      expect(held.status, JSON.stringify(held.json)).toBe(201)
      const refused = await customer(sales, { name: '偷附件的客户', attachments: [mine, theirs] })
      expect(`${refused.status} ${refused.json.error?.code}`).toBe('422 attachment.not_found')
      expect(refused.json.error.message).toMatch(/^attachments\.1: /)
      const own = await customer(sales, { name: '自己附件的客户', attachments: [mine] })
      expect(own.status, JSON.stringify(own.json)).toBe(201)
      const unknown = await t.http('PATCH', `/api/customers/${own.json.id}`, {
        token: sales,
        body: { version: own.json.version, custom: { [photos]: ['01JATT0000000000000000000A'] } },
      })
      expect(`${unknown.status} ${unknown.json.error?.message}`).toBe(
        `422 custom.${photos}.0: 附件不存在或无权使用`,
      )
      const { json: list } = await t.http('GET', `/api/customers?q=${encodeURIComponent('附件的客户')}`, {
        token: sales,
      })
      const mineOnes = list.items.filter((c: { name: string }) => /^(偷|自己)/.test(c.name))
      expect(mineOnes.map((c: { name: string; version: number }) => `${c.name} v${c.version}`)).toEqual([
        '自己附件的客户 v1',
      ])
      expect((await t.http('GET', `/api/attachments/${theirs}`, { token: sales })).status).toBe(404)
    })

    it("lets an edit resend the ids its record holds (the previous owner's) at no extra call; a new one costs one Query", async () => {
      const { id: theirs } = await put(other)
      const made = await customer(other, { name: '转给我的客户', attachments: [theirs] })
      const assigned = await t.http('POST', `/api/customers/${made.json.id}/assign`, {
        token: admin,
        body: { ownerId: 'sales1' },
      })
      expect(assigned.status, JSON.stringify(assigned.json)).toBe(200)
      const patch = async ({ id, version }: { id: string; version: number }, body: object) => {
        const response = await t.http('PATCH', `/api/customers/${id}`, {
          token: sales,
          body: { version, ...body },
        })
        expect(response.status, JSON.stringify(response.json)).toBe(200)
        return {
          ...(response.json as { id: string; version: number }),
          calls: ddbUsage(response.headers).calls,
        }
      }
      const bare = await customer(sales, { name: '没有附件的客户' })
      const plain = await patch(bare.json, { remark: '只改备注' })
      const resent = await patch(assigned.json, { remark: '重发附件', attachments: [theirs] })
      expect(resent.calls).toBe(plain.calls)
      const { id: mine } = await put(sales)
      const added = await patch(resent, { remark: '加一个', attachments: [theirs, mine] })
      expect(added.calls).toBe(plain.calls + 1)
    })

    it("merges a source's attachments into the target for a caller who sees the source (not its uploader)", async () => {
      const { id } = await put(sales)
      const target = await customer(sales, { name: '附件合并目标' })
      const source = await customer(sales, { name: '附件合并来源', custom: { [photos]: [id] } })
      const merged = await t.http('POST', '/api/customers/merge', {
        token: manager,
        body: { targetId: target.json.id, sourceIds: [source.json.id], custom: { [photos]: source.json.id } },
      })
      expect(merged.status, JSON.stringify(merged.json)).toBe(200)
      expect(merged.json.target.custom[photos]).toEqual([id])
    })
  })
})

describe('search', () => {
  it('finds a record by the text of a custom field marked searchable, and not by an unmarked one', async () => {
    const keys = await addFields('customers', [
      { label: '主营产品', type: 'text', searchable: true },
      { label: '内部代号', type: 'text' },
    ])
    const search = async (q: string) =>
      (await t.http('GET', `/api/search?q=${encodeURIComponent(q)}`, { token: sales })).json.items
    const plain = await t.http('POST', '/api/customers', { token: sales, body: { name: '检索字段客户甲' } })
    const made = await t.http('POST', '/api/customers', {
      token: sales,
      body: {
        name: '检索字段客户乙',
        custom: { [keys['主营产品']]: '工业冷水机组', [keys['内部代号']]: '青龙计划' },
      },
    })
    expect(await search('冷水机')).toEqual([
      expect.objectContaining({ id: made.json.id, name: '检索字段客户乙', reason: 'custom' }),
    ])
    expect(await search('青龙')).toEqual([])
    // a few more items per record (postings are packed four to an item): here 2 items, 4 write units
    expect(ddbUsage(made.headers).wcu - ddbUsage(plain.headers).wcu).toBeLessThanOrEqual(4)
    // a changed text is found by its new words only
    await t.http('PATCH', `/api/customers/${made.json.id}`, {
      token: sales,
      body: { version: made.json.version, custom: { [keys['主营产品']]: '空气压缩机' } },
    })
    expect(await search('冷水机')).toEqual([])
    expect(await search('压缩机')).toEqual([expect.objectContaining({ id: made.json.id })])
  })
})
