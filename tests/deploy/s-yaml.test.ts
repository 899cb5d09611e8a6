import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { functions } from '../../functions/registry.js'
import { buildFunctions, functionNames } from '../../scripts/build.js'

interface Resource {
  component: string
  props: Record<string, any>
}

const dummyEnv = Object.fromEntries(
  [
    'AWS_REGION',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'JWT_SECRET',
    'DINGTALK_CORP_ID',
    'DINGTALK_APP_KEY',
    'DINGTALK_APP_SECRET',
    'DINGTALK_AGENT_ID',
    'CRM_DOMAIN',
  ].map((name) => [name, `test-${name.toLowerCase()}`]),
)

let resources: Record<string, Resource>
let built: string

beforeAll(async () => {
  // `s preview` renders s.yaml offline (no cloud, no credentials).
  const { stdout } = await promisify(execFile)('npx', ['s', 'preview', '-o', 'json', '--silent'], {
    env: { ...process.env, ...dummyEnv },
  })
  resources = JSON.parse(stdout).resources
  built = mkdtempSync(path.join(os.tmpdir(), 'crm-build-'))
  await buildFunctions(built)
}, 120_000)

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
