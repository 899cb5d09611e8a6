import { randomUUID } from 'node:crypto'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { contract } from '../../shared/contract/index.js'
import { now, runningFrom, setClock } from '../../functions/core/clock.js'
import type { Session } from '../../functions/core/context.js'
import { readCounters } from '../../functions/db/counters.js'
import { APPLY_DEPTH, CHUNK_ROWS, runImport, startImport } from '../../functions/domain/imports/index.js'
import { nameCounter, normalizeName } from '../../functions/domain/search/entries.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'
import { csv, download, finish, listAll, readXlsx, upload, xlsx } from './files.js'

const t = useStack()
let sales1: string
let sales3: string

beforeAll(async () => {
  sales1 = await t.login('sales1')
  sales3 = await t.login('sales3')
})

afterEach(() => {
  setClock(undefined)
  delete process.env.IMPORT_BUDGET_MS
  delete process.env.MAX_UPLOAD_BYTES
})

const HEADERS = ['客户名称', '客户分类', '手机', '地址', '备注']

describe('importing customers', () => {
  it('maps Chinese headers to fields and creates the rows as the importer’s customers', async () => {
    const file = await xlsx([
      HEADERS,
      ['映射测试有限公司', 'A 类客户', '13800000001', '杭州市西湖区', '展会'],
    ])
    const { status, json } = await upload(t, sales1, 'customers', file, { policy: 'skip' })
    expect(status).toBe(201)
    expect(json).toMatchObject({
      status: 'done',
      total: 1,
      processed: 1,
      created: 1,
      failed: 0,
      errorReportUrl: null,
    })
    const [customer] = await listAll(t, sales1, '/api/customers?q=映射测试')
    expect(customer).toMatchObject({
      name: '映射测试有限公司',
      category: 'A',
      phone: '13800000001',
      address: '杭州市西湖区',
      remark: '展会',
      ownerId: 'sales1',
    })
  })

  it('imports into the pool when the target is pool', async () => {
    const file = await xlsx([['客户名称'], ['公海导入甲公司']])
    const { json } = await upload(t, sales1, 'customers', file, { target: 'pool' })
    expect(json).toMatchObject({ status: 'done', created: 1 })
    const pool = await listAll(t, sales1, '/api/pool?q=公海导入甲')
    expect(pool.map((c) => c.ownerId)).toEqual([null])
  })

  it('follows the request’s own mapping for headers it does not know', async () => {
    const file = await xlsx([
      ['单位全称', '级别'],
      ['自定义映射科技', 'B'],
    ])
    const { json } = await upload(t, sales1, 'customers', file, {
      mapping: JSON.stringify({ 单位全称: 'name', 级别: 'category' }),
    })
    expect(json).toMatchObject({ status: 'done', created: 1 })
    const [customer] = await listAll(t, sales1, '/api/customers?q=自定义映射')
    expect(customer.category).toBe('B')
  })

  it('refuses a file without the required column, with a Chinese message', async () => {
    const { status, json } = await upload(t, sales1, 'customers', await xlsx([['地址'], ['杭州']]))
    expect(status).toBe(400)
    expect(json.error).toMatchObject({ code: 'import.missing_columns', message: '文件缺少必填列：客户名称' })
  })

  it('answers 413 for an upload above the limit', async () => {
    process.env.MAX_UPLOAD_BYTES = String(10 * 1024)
    const big = csv([['客户名称'], ...Array.from({ length: 2000 }, (_, i) => [`超大文件客户${i}`])])
    const { status, json } = await upload(t, sales1, 'customers', big, {}, 'big.csv')
    expect(status).toBe(413)
    expect(json.error.code).toBe('request.too_large')
  })

  it('imports the good rows of a file with 50 bad ones and reports exactly those 50', async () => {
    const rows: string[][] = []
    const bad = new Map<number, string>()
    for (let i = 0; i < 150; i++) {
      const row = [`混合文件客户${String(i).padStart(3, '0')}`, 'C', '', '', '']
      const kind = i % 3 === 0 ? Math.floor(i / 3) % 5 : -1
      if (kind === 0) row[0] = ''
      if (kind === 1) row[2] = '12345'
      if (kind === 2) row[1] = 'Z 类'
      if (kind === 3) row[0] = '长'.repeat(101)
      if (kind === 4) row[4] = '备'.repeat(2001)
      if (kind >= 0) bad.set(i + 2, ['客户名称', '手机', '客户分类', '客户名称', '备注'][kind])
      rows.push(row)
    }
    const { json: job } = await upload(t, sales1, 'customers', await xlsx([HEADERS, ...rows]))
    expect(job).toMatchObject({ status: 'done', total: 150, created: 100, failed: 50 })
    expect(job.errors.map((e: { row: number }) => e.row)).toEqual([...bad.keys()])
    for (const error of job.errors) expect(error.message).toContain(`「${bad.get(error.row)}」`)
    const report = await download(t, sales1, job.errorReportUrl)
    expect(report.status).toBe(200)
    expect(report.headers.get('content-type')).toContain('spreadsheetml')
    const sheet = await readXlsx(report.bytes)
    expect(sheet[0]).toEqual([...HEADERS, '错误原因'])
    expect(sheet.length - 1).toBe(50)
    expect(sheet.slice(1).map((r) => r[5])).toEqual(job.errors.map((e: { message: string }) => e.message))
  })

  it('imports a fixed error report again', async () => {
    const { json: job } = await upload(
      t,
      sales1,
      'customers',
      await xlsx([HEADERS, ['修正前客户', 'C', '999', '', ''], ['修正前客户二', 'C', '', '', '']]),
    )
    expect(job).toMatchObject({ created: 1, failed: 1 })
    const sheet = await readXlsx((await download(t, sales1, job.errorReportUrl)).bytes)
    sheet[1][2] = '13900000009'
    const { json: again } = await upload(t, sales1, 'customers', await xlsx(sheet))
    expect(again).toMatchObject({ status: 'done', created: 1, failed: 0 })
  })

  it('reads a CSV saved in GBK, as Excel in China writes it', async () => {
    const file = csv(
      [
        ['产品名称', '产品编码', '单位', '单价'],
        ['国标编码软件', 'GBK-1', '套', '1,280.50'],
      ],
      'gbk',
    )
    const { json } = await upload(t, sales1, 'products', file, {}, '产品.csv')
    expect(json).toMatchObject({ status: 'done', created: 1, failed: 0 })
    const [product] = await listAll(t, sales1, '/api/products?q=GBK-1')
    expect(product).toMatchObject({ name: '国标编码软件', unit: '套', price: 1280.5 })
  })

  it('reads UTF-8 CSV with a BOM and without', async () => {
    for (const [encoding, name, phone] of [
      ['utf8', '无签名线索', '13700000001'],
      ['utf8-bom', '带签名线索', '13700000002'],
    ] as const) {
      const file = csv(
        [
          ['线索名称', '公司名称', '手机'],
          [name, `${name}公司`, phone],
        ],
        encoding,
      )
      const { json } = await upload(t, sales1, 'leads', file, {}, 'leads.csv')
      expect(json).toMatchObject({ status: 'done', created: 1 })
    }
    const leads = await listAll(t, sales1, '/api/leads?q=签名线索')
    expect(leads.map((l) => l.title).sort()).toEqual(['带签名线索', '无签名线索'])
  })

  it('updates the 查重 match of a row with policy update, and skips it with skip', async () => {
    await upload(t, sales1, 'customers', await xlsx([HEADERS, ['策略客户有限公司', 'D', '', '', '']]))
    const again = await xlsx([HEADERS, ['策略客户(中国)有限公司', 'A', '', '', '新备注']])
    const skipped = await upload(t, sales1, 'customers', again, { policy: 'skip' })
    expect(skipped.json).toMatchObject({ created: 0, updated: 0, skipped: 1 })
    const updated = await upload(t, sales1, 'customers', again, { policy: 'update' })
    expect(updated.json).toMatchObject({ created: 0, updated: 1, skipped: 0 })
    const [customer] = await listAll(t, sales1, '/api/customers?q=策略客户')
    expect(customer).toMatchObject({ name: '策略客户(中国)有限公司', category: 'A', remark: '新备注' })
  })

  it('runs a retried upload with the same Idempotency-Key as a new job (its rows do not keep the key)', async () => {
    await upload(t, sales1, 'customers', await xlsx([['客户名称'], ['幂等导入有限公司']]))
    const again = await xlsx([
      ['客户名称', '备注'],
      ['幂等导入有限公司', '再次导入'],
    ])
    const key = { 'idempotency-key': randomUUID() }
    const first = await upload(t, sales1, 'customers', again, { policy: 'update' }, 'data.xlsx', key)
    const retry = await upload(t, sales1, 'customers', again, { policy: 'update' }, 'data.xlsx', key)
    expect(first.json).toMatchObject({ status: 'done', updated: 1 })
    expect(retry.status).toBe(201)
    expect(retry.json).toMatchObject({ status: 'done', total: 1, failed: 0 })
    expect(retry.json.id).not.toBe(first.json.id)
  })

  it('fails the update of a match outside the importer’s scope instead of changing it', async () => {
    await upload(t, sales3, 'customers', await xlsx([['客户名称'], ['别人家的客户公司']]))
    const { json } = await upload(
      t,
      sales1,
      'customers',
      await xlsx([HEADERS, ['别人家的客户公司', 'A', '', '', '']]),
      {
        policy: 'update',
      },
    )
    expect(json).toMatchObject({ updated: 0, failed: 1 })
    expect(json.errors[0].message).toContain('无法更新')
  })

  it('links imported contacts to the customer named in the row', async () => {
    await upload(t, sales1, 'customers', await xlsx([['客户名称'], ['联系人所属公司']]))
    const file = await xlsx([
      ['客户名称', '联系人', '性别', '手机', '职务'],
      ['联系人所属公司', '张三', '男', '13600000001', '采购经理'],
      ['不存在的公司', '李四', '女', '', ''],
    ])
    const { json } = await upload(t, sales1, 'contacts', file)
    expect(json).toMatchObject({ created: 1, failed: 1 })
    expect(json.errors[0]).toMatchObject({
      row: 3,
      message: expect.stringContaining('找不到客户「不存在的公司」'),
    })
    const [customer] = await listAll(t, sales1, '/api/customers?q=联系人所属公司')
    const contacts = await listAll(t, sales1, `/api/customers/${customer.id}/contacts`)
    expect(contacts).toMatchObject([
      { name: '张三', gender: 'male', mobile: '13600000001', title: '采购经理' },
    ])
  })
})

describe('exports', () => {
  it('round-trips through an import with skip and creates nothing', async () => {
    await upload(
      t,
      sales1,
      'customers',
      await xlsx([
        HEADERS,
        ...Array.from({ length: 30 }, (_, i) => [
          `往返客户${i}`,
          'B',
          `1350000${String(i).padStart(4, '0')}`,
          '上海',
          '',
        ]),
      ]),
    )
    const before = await listAll(t, sales1, '/api/customers')
    const exported = await download(t, sales1, '/api/exports/customers?format=xlsx')
    expect(exported.status).toBe(200)
    expect(exported.headers.get('content-disposition')).toContain('attachment')
    const sheet = await readXlsx(exported.bytes)
    expect(sheet[0].slice(0, 3)).toEqual(['客户名称', '客户分类', '客户来源'])
    expect(sheet.length - 1).toBe(before.length)
    const { json } = await upload(t, sales1, 'customers', exported.bytes, { policy: 'skip' })
    expect(json).toMatchObject({
      status: 'done',
      total: before.length,
      created: 0,
      failed: 0,
      skipped: before.length,
    })
    expect(await listAll(t, sales1, '/api/customers')).toHaveLength(before.length)
  })

  it('exports only what the caller may see, with the list’s filters', async () => {
    await upload(
      t,
      sales3,
      'customers',
      await xlsx([
        ['客户名称', '客户分类'],
        ['范围测试乙方公司', 'A'],
      ]),
    )
    await upload(
      t,
      sales1,
      'customers',
      await xlsx([
        ['客户名称', '客户分类'],
        ['范围测试甲方公司', 'A'],
        ['范围测试丙方公司', 'D'],
      ]),
    )
    const names = async (token: string, query: string) =>
      (await readXlsx((await download(t, token, `/api/exports/customers?format=xlsx&${query}`)).bytes))
        .slice(1)
        .map((r) => r[0])
    expect(await names(sales1, 'q=范围测试')).toEqual(['范围测试丙方公司', '范围测试甲方公司'])
    expect(await names(sales1, 'q=范围测试&category=A')).toEqual(['范围测试甲方公司'])
    expect(await names(sales3, 'q=范围测试')).toEqual(['范围测试乙方公司'])
  })

  it('writes CSV with a UTF-8 BOM and Chinese headers', async () => {
    const { status, headers, bytes } = await download(t, sales1, '/api/exports/products?format=csv')
    expect(status).toBe(200)
    expect(headers.get('content-type')).toContain('text/csv')
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    expect(bytes.subarray(3).toString('utf8').split('\r\n')[0]).toBe('产品名称,产品编码,单位,单价,状态,描述')
  })
})

describe('import jobs', () => {
  const file = async (prefix: string, count: number) =>
    xlsx([
      ['客户名称', '手机'],
      ...Array.from({ length: count }, (_, i) => [`${prefix}${i}`, `1330000${String(i).padStart(4, '0')}`]),
    ])

  it('reports progress and finishes over several runs when one run’s budget is spent', async () => {
    process.env.IMPORT_BUDGET_MS = '1'
    const total = CHUNK_ROWS + 40
    const { json: first } = await upload(t, sales1, 'customers', await file('分批导入客户', total), {
      policy: 'create',
    })
    expect(first).toMatchObject({ status: 'running', total, processed: CHUNK_ROWS })
    const polled = await t.http('GET', `/api/imports/${first.id}`, { token: sales1 })
    expect(polled.json).toMatchObject({ id: first.id, status: 'running', processed: CHUNK_ROWS })
    const done = await finish(t, sales1, first)
    expect(done).toMatchObject({ status: 'done', processed: total, created: total })
    expect(await listAll(t, sales1, '/api/customers?q=分批导入客户')).toHaveLength(total)
  })

  const sales2Session: Session = {
    tenantId: DEMO_CORP_ID,
    userId: 'sales2',
    name: 'sales2',
    role: 'member',
    deptIds: ['201'],
    scopeDeptIds: [],
  }
  const customersTotal = async (token: string) =>
    (await t.http('GET', '/api/customers', { token })).json.total as number

  /** Starts an import of `count` customers whose run dies at `hook` of the second chunk. */
  async function crashedImport(prefix: string, count: number, hook: 'beforeCheckpoint' | 'beforeRecords') {
    let jobId = ''
    const crash = (job: { id: string; processed: number }) => {
      jobId = job.id
      if (job.processed === 2 * CHUNK_ROWS) throw new Error('the function instance died')
    }
    await expect(
      startImport(
        sales2Session,
        'customers',
        { policy: 'create', target: 'mine' },
        { fileName: 'crash.xlsx', bytes: await file(prefix, count) },
        { [hook]: crash },
      ),
    ).rejects.toThrow('the function instance died')
    return jobId
  }

  it('resumes an import interrupted after rows were written but before its checkpoint, without duplicates', async () => {
    const sales2 = await t.token(sales2Session)
    const countBefore = await customersTotal(sales2)
    const total = 2 * CHUNK_ROWS + 30
    const jobId = await crashedImport('中断恢复客户', total, 'beforeCheckpoint')
    // the dead run's lease lapses; then the importer resumes
    // the chunks written when it died: the second, and those written alongside it (APPLY_DEPTH)
    const written = Math.min(total, (1 + APPLY_DEPTH) * CHUNK_ROWS)
    expect(await listAll(t, sales2, '/api/customers?q=中断恢复客户')).toHaveLength(written)
    expect((await runImport(sales2Session, jobId)).processed).toBe(CHUNK_ROWS) // still held by the dead run
    setClock(runningFrom(now() + 10 * 60_000))
    const done = await runImport(sales2Session, jobId)
    expect(done).toMatchObject({ status: 'done', total, created: total, failed: 0 })
    const customers = await listAll(t, sales2, '/api/customers?q=中断恢复客户')
    expect(customers).toHaveLength(total)
    expect(new Set(customers.map((c) => c.name)).size).toBe(total)
    expect((await customersTotal(sales2)) - countBefore).toBe(total)
  })

  it('moves each imported name’s counter once when the rows after a crash are redone', async () => {
    const total = 2 * CHUNK_ROWS + 30
    // the dead run moved the names of the chunks it wrote, the uncheckpointed second one's included
    const jobId = await crashedImport('名称计数客户', total, 'beforeCheckpoint')
    setClock(runningFrom(now() + 10 * 60_000))
    expect(await runImport(sales2Session, jobId)).toMatchObject({ status: 'done', created: total })
    const names = Array.from({ length: total }, (_, i) => nameCounter(normalizeName(`名称计数客户${i}`)))
    const counts = await readCounters(DEMO_CORP_ID, names)
    expect(names.filter((name) => counts[name] !== 1)).toEqual([])
  })

  it('shows nothing of rows whose entries were written but not their records, and resumes them once each', async () => {
    const sales2 = await t.token(sales2Session)
    const countBefore = await customersTotal(sales2)
    const total = 2 * CHUNK_ROWS + 10
    const jobId = await crashedImport('半途客户', total, 'beforeRecords')
    const unfinished = `半途客户${CHUNK_ROWS + 5}`
    // the first chunk and those written alongside the second (APPLY_DEPTH); not the second's
    const alongside = Math.min(total - 2 * CHUNK_ROWS, (APPLY_DEPTH - 1) * CHUNK_ROWS)
    expect(await listAll(t, sales2, '/api/customers?q=半途客户')).toHaveLength(CHUNK_ROWS + alongside)
    const search = async () =>
      (await t.http('GET', `/api/search?q=${encodeURIComponent(unfinished)}`, { token: sales2 })).json.items
    const duplicates = async () =>
      (
        await t.http('GET', `/api/customers/duplicates?name=${encodeURIComponent(unfinished)}`, {
          token: sales2,
        })
      ).json.items
    const names = (hits: { name: string }[]) => hits.map((hit) => hit.name)
    expect(await search()).toEqual([])
    expect(names(await duplicates())).not.toContain(unfinished)
    setClock(runningFrom(now() + 10 * 60_000))
    expect(await runImport(sales2Session, jobId)).toMatchObject({ status: 'done', total, created: total })
    const customers = await listAll(t, sales2, '/api/customers?q=半途客户')
    expect(new Set(customers.map((c) => c.name)).size).toBe(total)
    expect(customers).toHaveLength(total)
    expect((await customersTotal(sales2)) - countBefore).toBe(total)
    expect(names(await search())).toEqual([unfinished])
    expect(names(await duplicates()).filter((name) => name === unfinished)).toHaveLength(1)
    const { id } = customers.find((c) => c.name === unfinished)
    const timeline = await listAll(t, sales2, `/api/customers/${id}/timeline`)
    expect(timeline.map((a) => a.summary)).toEqual([`导入了客户「${unfinished}」`])
  })

  it('leaves alone a row its owner changed between the crash and the resume', async () => {
    const sales2 = await t.token(sales2Session)
    const countBefore = await customersTotal(sales2)
    const total = 2 * CHUNK_ROWS
    const jobId = await crashedImport('改名前客户', total, 'beforeCheckpoint')
    const [written] = await listAll(t, sales2, `/api/customers?q=改名前客户${CHUNK_ROWS + 1}`)
    const renamed = await t.http('PATCH', `/api/customers/${written.id}`, {
      token: sales2,
      body: { name: '改名后的客户', version: written.version },
    })
    expect(renamed.status).toBe(200)
    setClock(runningFrom(now() + 10 * 60_000))
    expect(await runImport(sales2Session, jobId)).toMatchObject({ status: 'done', created: total })
    const [after] = await listAll(t, sales2, '/api/customers?q=改名后的客户')
    expect(after).toMatchObject({ id: written.id, name: '改名后的客户', version: written.version + 1 })
    const byOldName = await t.http('GET', `/api/search?q=${encodeURIComponent(written.name)}`, {
      token: sales2,
    })
    expect(byOldName.json.items).toEqual([])
    expect((await customersTotal(sales2)) - countBefore).toBe(total)
  })

  it('starts and polls a job through the shared API client', async () => {
    const client = t.client(sales1)
    const file = new Blob([
      new Uint8Array(
        csv([
          ['产品名称', '单价'],
          ['客户端导入产品', '99'],
        ]),
      ),
    ])
    const form = new FormData()
    form.append('file', file, 'p.csv')
    form.append('policy', 'create')
    const job = await client.upload(contract.imports.start, 'products', form)
    expect(job).toMatchObject({ status: 'done', created: 1, errorReportUrl: null })
    expect(await client.imports.get(job.id)).toEqual(job)
    expect(client.url(contract.exports.products, { format: 'csv', q: '客户端' })).toBe(
      `${t.baseUrl}/api/exports/products?format=csv&q=%E5%AE%A2%E6%88%B7%E7%AB%AF`,
    )
  })

  it('hides a job from another tenant and from another user (404)', async () => {
    const { json: job } = await upload(t, sales1, 'products', csv([['产品名称'], ['隐私产品']]), {}, 'p.csv')
    const stranger = await t.token({ tenantId: 'ding-other', userId: 'sales1' })
    for (const token of [stranger, sales3]) {
      for (const path of [`/api/imports/${job.id}`, `/api/imports/${job.id}/errors.xlsx`]) {
        const { status, json } = await t.http('GET', path, { token })
        expect(status).toBe(404)
        expect(json.error.code).toBe('import.not_found')
      }
      expect((await t.http('POST', `/api/imports/${job.id}/resume`, { token })).status).toBe(404)
    }
  })
})
