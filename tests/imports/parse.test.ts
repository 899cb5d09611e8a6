import { describe, expect, it } from 'vitest'
import { MAX_ROWS, parseTable } from '../../functions/domain/imports/files.js'
import { xlsx } from './files.js'

const rows = (count: number) => [['客户名称'], ...Array.from({ length: count }, (_, i) => [`客户${i}`])]

describe('reading an XLSX upload', () => {
  it('reads the header and every data row with its row number in the file', async () => {
    const table = await parseTable(
      await xlsx([['客户名称', '手机'], ['甲公司', '13800000001'], [], ['乙公司', '']]),
      'xlsx',
    )
    expect(table).toEqual({
      headers: ['客户名称', '手机'],
      rows: [
        { row: 2, cells: ['甲公司', '13800000001'] },
        { row: 4, cells: ['乙公司', ''] },
      ],
    })
  })

  it('reads the same small file the same way every time', async () => {
    const file = await xlsx([
      ['客户名称', '客户分类'],
      ['别人家的客户公司', 'A'],
    ])
    const tables = await Promise.all(Array.from({ length: 200 }, () => parseTable(file, 'xlsx')))
    expect(new Set(tables.map((table) => JSON.stringify(table))).size).toBe(1)
    expect(tables[0].rows[0].cells).toEqual(['别人家的客户公司', 'A'])
  })

  it('refuses one row more than the limit with 413', async () => {
    await expect(parseTable(await xlsx(rows(MAX_ROWS + 1)), 'xlsx')).rejects.toMatchObject({
      status: 413,
      code: 'import.too_many_rows',
    })
  })

  it('refuses a far larger file with 413 before reading all of it', async () => {
    await expect(parseTable(await xlsx(rows(MAX_ROWS + 5_000)), 'xlsx')).rejects.toMatchObject({
      status: 413,
      code: 'import.too_many_rows',
    })
  })
})
