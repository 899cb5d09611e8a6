/**
 * `npm start`: the whole local stack on one port — DynamoDB Local (data under DATA_DIR), the API, the
 * DingTalk emulator and the H5 app. Ctrl-C stops everything it started.
 */
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { assertJava } from '../local/dynamodb-local.js'
import { startStack } from '../local/stack.js'
import { ensureH5Build, H5_DIST } from './build-h5.js'

try {
  assertJava()
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}

const port = Number(process.env.PORT ?? 3000)
const dataDir = path.resolve(process.env.DATA_DIR ?? '.data')
mkdirSync(dataDir, { recursive: true })
process.env.LOG_LEVEL ??= 'warn'
await ensureH5Build()

const stack = await startStack({
  port,
  dataDir,
  tableName: process.env.TABLE_NAME ?? 'crm',
  staticDir: H5_DIST,
  seed: true,
})
const users = stack.emulator.org.users

console.log(`
钉钉 CRM 本地环境已启动
  H5 应用        ${stack.baseUrl}/
  API            ${stack.baseUrl}/api   (健康检查 ${stack.baseUrl}/api/health)
  钉钉模拟器     ${stack.baseUrl}/dingtalk
  数据目录       ${dataDir}

演示组织 ding-demo 的用户（登录页「钉钉扫码登录」后在模拟器页面选择，或 POST /dingtalk/__authcode {"userId": "..."}）:
${users.map((u) => `  ${u.userId.padEnd(8)} ${u.name}`).join('\n')}

按 Ctrl-C 停止。`)

let stopping = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return
    stopping = true
    console.log('\n正在停止…')
    await stack.stop()
    process.exit(0)
  })
}
