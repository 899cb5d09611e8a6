/**
 * Import throughput and memory: a 20 000-row XLSX of customers (tests/imports/large.test.ts imports 1 000)
 * imported against DynamoDB Local, in a child process running the bundled import code, so the peak RSS
 * is the import's own (goal: ≥ 500 rows/s, under 256 MB — a Function Compute instance's memory). The
 * baseline, measured in the same child right after: the same rows' items written with nothing but
 * BatchWriteItem (no parsing, 查重, checkpoints or counters) — what DynamoDB Local itself allows — and
 * then with the counter writes added (the raw calls the import needs: a counter adds up, so it is an
 * update, not a put a BatchWriteItem could carry). All are measured once DynamoDB Local's JVM has warmed
 * up (the child writes the baseline's rows once first), each with the CPU DynamoDB Local spent per row
 * (`DB ms/row`; Linux), which the machine's other load moves less than rows per second.
 */
import { build } from 'esbuild'
import ExcelJS from 'exceljs'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { bundleOptions } from '../scripts/build.js'
import { printTable } from './lib.js'

async function customersXlsx(count: number): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('客户')
  sheet.addRow(['客户名称', '客户分类', '手机', '地址'])
  for (let i = 0; i < count; i++) {
    sheet.addRow([
      `基准导入客户${String(i).padStart(5, '0')}有限公司`,
      'ABCD'[i % 4],
      `15${String(i).padStart(9, '0')}`,
      '浙江省杭州市',
    ])
  }
  return Buffer.from(await workbook.xlsx.writeBuffer())
}

export async function benchImports(rows = 20_000, baselineRows = 5_000) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-imports-'))
  const file = path.join(dir, 'customers.xlsx')
  writeFileSync(file, await customersXlsx(rows))
  const child = path.join(dir, 'child.mjs')
  await build({ entryPoints: ['bench/imports-child.ts'], outfile: child, ...bundleOptions })
  // the stack's environment (DynamoDB Local endpoint, table) goes to the child; its run is not budgeted
  const output = execFileSync(process.execPath, [child, file, String(baselineRows)], {
    encoding: 'utf8',
    // the heap limit s.yaml gives every function (NODE_OPTIONS)
    env: {
      ...process.env,
      IMPORT_BUDGET_MS: '600000',
      LOG_LEVEL: 'error',
      NODE_OPTIONS: '--max-old-space-size=160',
    },
    maxBuffer: 16 * 1024 * 1024,
  })
  const result = JSON.parse(output.trim().split('\n').at(-1)!)
  const ms = (value?: number) => (value === undefined ? '–' : value.toFixed(2))
  const { baseline, withCounters } = result
  printTable(
    `Import of an XLSX of customers (bundled import code, child process, DynamoDB Local; baseline: the items of its first ${baseline.rows} rows, ${(baseline.items / baseline.rows).toFixed(1)} a row, with BatchWriteItem alone — goal ≥ 90 % of it —, and with the ${withCounters.counterWrites} counter writes the import cannot batch, summed per chunk as its checkpoints sum them, one TransactWriteItems a chunk)`,
    [
      {
        rows: result.rows,
        created: result.created,
        failed: result.failed,
        seconds: result.seconds.toFixed(1),
        'rows/s': Math.round(result.rowsPerSecond),
        'baseline rows/s': Math.round(baseline.rowsPerSecond),
        'baseline items/s': Math.round(baseline.items / baseline.seconds),
        'of baseline': `${Math.round((100 * result.rowsPerSecond) / baseline.rowsPerSecond)} %`,
        'with counters rows/s': Math.round(withCounters.rowsPerSecond),
        'of it': `${Math.round((100 * result.rowsPerSecond) / withCounters.rowsPerSecond)} %`,
        'goal rows/s': '≥ 500',
        'DB ms/row': ms(result.databaseMsPerRow),
        'import CPU ms/row': ms(result.cpuMsPerRow),
        'baseline DB ms/row': ms(baseline.databaseMsPerRow),
        'with counters DB ms/row': ms(withCounters.databaseMsPerRow),
        'peak RSS MB': Math.round(result.peakRssMb),
        'goal MB': '< 256',
      },
    ],
  )
  printTable('The import’s DynamoDB calls per 100 rows, by command', [
    Object.fromEntries(
      Object.entries(result.calls as Record<string, number>).map(([command, n]) => [
        command.replace(/Command$/, ''),
        ((100 * n) / result.rows).toFixed(1),
      ]),
    ),
  ])
  return result
}
