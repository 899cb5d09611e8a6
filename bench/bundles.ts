/**
 * Function bundles: size and cold import time of each deployed bundle, against a bundle of the bare
 * DynamoDB document client built the same way in the same run (goal: ≤ 1.5× in both).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, statSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildBundle, buildFunctions } from '../scripts/build.js'
import { median, printTable } from './lib.js'

/** A fresh Node process per sample: import the bundle, print how long that took. */
function coldImportMs(file: string, samples = 7): number {
  const script = `const t=performance.now();await import(${JSON.stringify(file)});console.log(performance.now()-t)`
  const times = Array.from({ length: samples }, () =>
    Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }).trim(),
    ),
  )
  return median(times)
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
  await buildBundle(bareSource, path.join(dir, 'bare'))
  const bare = path.join(dir, 'bare', 'index.mjs')
  const bareSize = statSync(bare).size
  const bareMs = coldImportMs(bare)
  const rows = sizes.map(({ function: name, bytes }) => {
    const importMs = coldImportMs(path.join(dir, 'functions', name, 'index.mjs'))
    return {
      function: name,
      size: `${(bytes / 1024).toFixed(0)} KB`,
      'size ×bare': (bytes / bareSize).toFixed(2) + '×',
      'cold import': `${importMs.toFixed(1)} ms`,
      'import ×bare': (importMs / bareMs).toFixed(2) + '×',
    }
  })
  rows.unshift({
    function: '(bare DynamoDB client)',
    size: `${(bareSize / 1024).toFixed(0)} KB`,
    'size ×bare': '1.00×',
    'cold import': `${bareMs.toFixed(1)} ms`,
    'import ×bare': '1.00×',
  })
  printTable('Function bundles vs a bare DynamoDB client bundle (median of 7 cold imports)', rows)
}
