import { build } from 'esbuild'
import ExcelJS from 'exceljs'
import { execFileSync } from 'node:child_process'
import { writeFileSync, mkdirSync } from 'node:fs'
import { startStack } from '../local/stack.js'
import { bundleOptions } from '../scripts/build.js'
process.env.LOG_LEVEL = 'error'
const rows = Number(process.argv[2] ?? 3000)
const wb = new ExcelJS.Workbook(); const sheet = wb.addWorksheet('客户')
sheet.addRow(['客户名称', '客户分类', '手机', '地址'])
for (let i = 0; i < rows; i++) sheet.addRow([`基准导入客户${String(i).padStart(5, '0')}有限公司`, 'ABCD'[i % 4], `15${String(i).padStart(9, '0')}`, '浙江省杭州市'])
mkdirSync('/tmp/scale3-prof', { recursive: true })
writeFileSync('/tmp/scale3-prof/c.xlsx', Buffer.from(await wb.xlsx.writeBuffer()))
await build({ entryPoints: ['bench/imports-child.ts'], outfile: '/tmp/scale3-prof/child.mjs', ...bundleOptions, minify: false })
const stack = await startStack({ tableName: 'crm-prof', seed: false })
try {
  const out = execFileSync(process.execPath, ['/tmp/scale3-prof/child.mjs', '/tmp/scale3-prof/c.xlsx', String(rows)], { encoding: 'utf8', env: { ...process.env, IMPORT_BUDGET_MS: '600000', LOG_LEVEL: 'error', TRACE_IMPORT: '1', NODE_OPTIONS: '--max-old-space-size=160' } })
  console.log(out.trim().split('\n').at(-1))
} finally { await stack.stop() }
