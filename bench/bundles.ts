/**
 * Function bundles: size (what a cold start loads: index.mjs and the chunks it imports statically) and
 * cold import time of each deployed bundle, against a bundle of the bare
 * DynamoDB document client built the same way in the same run (goal: ≤ 1.3× in both). Cold imports are
 * measured in pairs (the bare client, then the function, each in a fresh process) and the ratio is the
 * median of the pairs' ratios: on a shared machine a single baseline taken once drifts by 2-3×.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildBundle, buildFunctions } from '../scripts/build.js'
import { median, printTable } from './lib.js'

/**
 * A fresh Node process: import the bundle; how long that took, on the clock and in CPU time (user + system:
 * what the import itself costs, steadier than the clock on a machine others share).
 */
function coldImport(file: string): { ms: number; cpuMs: number } {
  const script = `const c=process.cpuUsage();const t=performance.now();await import(${JSON.stringify(file)});const u=process.cpuUsage(c);console.log(JSON.stringify({ms:performance.now()-t,cpuMs:(u.user+u.system)/1000}))`
  const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env })
  return JSON.parse(out)
}

/** `samples` pairs of cold imports, the bare client then the function: medians and the median pair ratios. */
function pairedColdImports(bare: string, file: string, samples = 7) {
  const ours: number[] = []
  const base: number[] = []
  const oursCpu: number[] = []
  const baseCpu: number[] = []
  const ratios: number[] = []
  const cpuRatios: number[] = []
  for (let i = 0; i < samples; i++) {
    const b = coldImport(bare)
    const o = coldImport(file)
    base.push(b.ms)
    ours.push(o.ms)
    baseCpu.push(b.cpuMs)
    oursCpu.push(o.cpuMs)
    ratios.push(o.ms / b.ms)
    cpuRatios.push(o.cpuMs / b.cpuMs)
  }
  return {
    ms: median(ours),
    bareMs: median(base),
    cpuMs: median(oursCpu),
    bareCpuMs: median(baseCpu),
    ratio: median(ratios),
    cpuRatio: median(cpuRatios),
  }
}

export async function benchBundles() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'crm-bundles-'))
  const sizes = await buildFunctions(path.join(dir, 'functions'))
  // the bare client is built as the functions are, from a file beside them
  const bareSource = path.join(dir, 'bare.ts')
  writeFileSync(
    bareSource,
    `import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb'
const client = DynamoDBDocumentClient.from(new DynamoDBClient({}))
export const handler = (event) => client.send(new GetCommand({ TableName: 't', Key: { pk: event.pk, sk: '#' } }))`,
  )
  const bareSize = (await buildBundle(bareSource, path.join(dir, 'bare'))).bytes
  const bare = path.join(dir, 'bare', 'index.mjs')
  const row = (name: string, file: string, bytes: number, lazyBytes = 0): Record<string, string> => {
    const cold = file === bare ? undefined : pairedColdImports(bare, file)
    if (!cold)
      return {
        function: name,
        size: `${(bytes / 1024).toFixed(0)} KB`,
        'size ×bare': '1.00×',
        'import ×bare': '1.00×',
        'import CPU ×bare': '1.00×',
      }
    return {
      function: name,
      size: `${(bytes / 1024).toFixed(0)} KB`,
      'size ×bare': (bytes / bareSize).toFixed(2) + '×',
      'loaded on use': lazyBytes ? `${(lazyBytes / 1024).toFixed(0)} KB` : '',
      'cold import': `${cold.ms.toFixed(1)} ms`,
      'bare import': `${cold.bareMs.toFixed(1)} ms`,
      'import ×bare': cold.ratio.toFixed(2) + '×',
      'import CPU': `${cold.cpuMs.toFixed(0)} ms`,
      'bare CPU': `${cold.bareCpuMs.toFixed(0)} ms`,
      'import CPU ×bare': cold.cpuRatio.toFixed(2) + '×',
    }
  }
  // The floor of this stack (DESIGN.md: middy, zod, dynamodb-toolbox): the least a function of it loads —
  // a middy handler checking its input with one zod schema and reading one toolbox entity. Built with
  // zod as the shared schemas use it and with zod/mini, so the figures show what each leaves for the
  // functions' own code under the goal.
  const floor = async (variant: string, zod: string, check: string) => {
    const source = path.join(dir, `floor-${variant}.ts`)
    writeFileSync(
      source,
      `import middy from '@middy/core'
import { Entity } from 'dynamodb-toolbox/entity'
import { GetItemCommand } from 'dynamodb-toolbox/entity/actions/get'
import { item } from 'dynamodb-toolbox/schema/item'
import { string } from 'dynamodb-toolbox/schema/string'
import { Table } from 'dynamodb-toolbox/table'
import * as z from '${zod}'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
const table = new Table({ name: 't', partitionKey: { name: 'pk', type: 'string' }, sortKey: { name: 'sk', type: 'string' }, documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({})) })
const Thing = new Entity({ name: 'thing', table, schema: item({ id: string().key(), name: string() }), computeKey: ({ id }) => ({ pk: id, sk: '#' }) })
const Input = z.strictObject({ id: ${check} })
export const handler = middy().handler((event) => Thing.build(GetItemCommand).key(Input.parse(event)).send())`,
    )
    const { bytes } = await buildBundle(source, path.join(dir, `floor-${variant}`))
    return row(`(floor: + middy, ${zod}, toolbox)`, path.join(dir, `floor-${variant}`, 'index.mjs'), bytes)
  }
  const rows = [
    {
      ...row('(bare DynamoDB client)', bare, bareSize),
      'import ×bare': '1.00×',
      'import CPU ×bare': '1.00×',
    },
    await floor('classic', 'zod', 'z.string().min(1)'),
    await floor('mini', 'zod/mini', 'z.string().check(z.minLength(1))'),
    ...sizes.map(({ function: name, bytes, lazyBytes }) =>
      row(name, path.join(dir, 'functions', name, 'index.mjs'), bytes, lazyBytes),
    ),
  ]
  printTable(
    'Function bundles vs a bare DynamoDB client bundle (goal ≤ 1.3×), with the floor of the stack (the bare client + a middy handler, one zod schema, one dynamodb-toolbox entity read); size: what a cold start loads; import: median of 7 paired cold imports, clock and CPU',
    rows,
  )
}
