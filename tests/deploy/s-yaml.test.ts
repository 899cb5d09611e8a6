import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { ensureTable } from '../../functions/db/admin.js'
import { functions } from '../../functions/registry.js'
import { buildFunctions, functionNames } from '../../scripts/build.js'
import { deploymentVariables, missingVariables, PLACEHOLDER } from '../../scripts/deploy-check.js'

interface Resource {
  component: string
  props: Record<string, any>
}

const run = promisify(execFile)
const yaml = readFileSync('s.yaml', 'utf8')
const variables = deploymentVariables(yaml)
const required = variables.filter((v) => v.required).map((v) => v.name)

/**
 * This process's environment without any variable s.yaml reads, and a HOME of its own: no deployment
 * values and no Serverless Devs access, as on a fresh machine.
 */
const bareEnv = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: mkdtempSync(path.join(os.tmpdir(), 'crm-home-')) }
  for (const { name } of variables) delete env[name]
  return env
}

let rendered: { actions?: Record<string, { run?: string }[]>; vars: { environment: Record<string, string> } }
let resources: Record<string, Resource>
let built: string

beforeAll(async () => {
  // `s preview` renders s.yaml offline (no cloud, no credentials, no deployment variables).
  const { stdout } = await run('npx', ['s', 'preview', '-o', 'json', '--silent'], { env: bareEnv() })
  rendered = JSON.parse(stdout)
  resources = JSON.parse(stdout).resources
  built = mkdtempSync(path.join(os.tmpdir(), 'crm-build-'))
  await buildFunctions(built)
}, 120_000)

describe('deploying needs the real values, previewing none', () => {
  it('renders the plan with no deployment variable set, placeholders in their place', () => {
    expect(required).toEqual(expect.arrayContaining(['JWT_SECRET', 'DINGTALK_APP_SECRET', 'CRM_DOMAIN']))
    expect(rendered.vars.environment.JWT_SECRET).toBe(PLACEHOLDER)
    expect(resources.domain.props.domainName).toBe(PLACEHOLDER)
  })

  it('refuses npm run deploy before building, naming every variable still unset', async () => {
    const failed = await run('npm', ['run', 'deploy'], { env: bareEnv() }).catch((error) => error)
    expect(failed.code).toBe(1)
    for (const name of required) expect(failed.stderr).toContain(name)
    expect(failed.stdout).not.toContain('> dingcrm@0.1.0 build')
  })

  it('lets the deploy go on once every required variable has a value', () => {
    const env = { ...bareEnv(), ...Object.fromEntries(required.map((name) => [name, `real-${name}`])) }
    expect(missingVariables(yaml, env)).toEqual([])
    expect(missingVariables(yaml, { ...env, JWT_SECRET: PLACEHOLDER })).toEqual(['JWT_SECRET'])
  })

  it('needs the H5 origins CORS allows, like the DingTalk app’s', () => {
    expect(required).toContain('ALLOWED_ORIGINS')
    expect(rendered.vars.environment.ALLOWED_ORIGINS).toBe(PLACEHOLDER)
  })

  it('runs the same check before a bare s deploy', () => {
    expect(rendered.actions?.['pre-deploy']?.map((a) => a.run)).toContain('npx tsx scripts/deploy-check.ts')
  })
})

const fcFunctions = () => Object.entries(resources).filter(([, r]) => r.component === 'fc3')

describe('s.yaml, rendered offline', () => {
  it('gives every fc3 function the fields the fc3 component requires', () => {
    for (const [name, { props }] of fcFunctions()) {
      for (const field of ['functionName', 'region', 'runtime', 'code', 'handler']) {
        expect(props[field], `${name}.${field}`).toBeTruthy()
      }
      expect(props.runtime, name).toBe('nodejs20')
    }
  })

  it('gives every timer trigger a cron expression and enable', () => {
    for (const [, { props }] of fcFunctions()) {
      for (const trigger of props.triggers ?? []) {
        if (trigger.triggerType !== 'timer') continue
        expect(trigger.triggerConfig.cronExpression).toBeTruthy()
        expect(trigger.triggerConfig.enable).toBeTypeOf('boolean')
      }
    }
  })

  it('deploys exactly one function per handler in functions/', () => {
    const deployed = fcFunctions().map(([, r]) => path.basename(r.props.code))
    expect(deployed.sort()).toEqual(functionNames().sort())
  })

  it('points every code path at what npm run build produces', () => {
    for (const [name, { props }] of fcFunctions()) {
      expect(props.code, name).toBe(`./dist/functions/${path.basename(props.code)}`)
      expect(existsSync(path.join(built, path.basename(props.code), 'index.mjs')), name).toBe(true)
    }
  })

  it('routes /api/<segment> of every function to that function on the custom domain', () => {
    const routes: { path: string; functionName: string }[] = resources.domain.props.routeConfig.routes
    const functionNameOf = (name: string) =>
      fcFunctions().find(([key]) => key === name)![1].props.functionName
    for (const [name, { segments }] of Object.entries(functions)) {
      for (const segment of segments) {
        const route = routes.find((r) => r.path === `/api/${segment}` || r.path === `/api/${segment}/*`)
        expect(route, `/api/${segment}`).toBeDefined()
        expect(route!.functionName).toBe(functionNameOf(name))
      }
    }
  })
})

describe('a built bundle', () => {
  it('answers an FC3 request from DynamoDB in a process of its own (the SDK as its ES modules bundle it)', async () => {
    const endpoint = inject('ddbEndpoint')
    const client = new DynamoDBClient({
      endpoint,
      region: 'local',
      credentials: { accessKeyId: 'k', secretAccessKey: 's' },
    })
    const table = `bundle-${randomUUID()}`
    await ensureTable(table, client)
    try {
      const event = { version: 'v1', rawPath: '/api/health', requestContext: { http: { method: 'GET' } } }
      const script = `const { handler } = await import(${JSON.stringify(path.join(built, 'health', 'index.mjs'))})
const answer = await handler(Buffer.from(${JSON.stringify(JSON.stringify(event))}))
console.log(JSON.stringify({ status: answer.statusCode, body: JSON.parse(answer.body) }))`
      const env = {
        ...bareEnv(),
        TABLE_NAME: table,
        AWS_ENDPOINT_URL_DYNAMODB: endpoint,
        AWS_REGION: 'local',
        AWS_ACCESS_KEY_ID: 'k',
        AWS_SECRET_ACCESS_KEY: 's',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      }
      const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { env })
      expect(JSON.parse(stdout)).toEqual({ status: 200, body: { ok: true } })
    } finally {
      await client.send(new DeleteTableCommand({ TableName: table }))
    }
  })
})
