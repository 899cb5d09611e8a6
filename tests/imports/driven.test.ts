import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { now, runningFrom, setClock } from '../../functions/core/clock.js'
import type { Session } from '../../functions/core/context.js'
import { driveImports } from '../../functions/domain/imports/driver.js'
import { CHUNK_ROWS, runImport } from '../../functions/domain/imports/index.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { useStack } from '../helpers/stack.js'
import { type Job, listAll, upload, xlsx } from './files.js'

/**
 * The server drives an import to its end: the upload runs it for one request budget, then the scheduler
 * (`POST /__dev/scheduler/run`, or its import driver) runs it on. The client only polls.
 */
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
})

const TOTAL = 2 * CHUNK_ROWS + 17
const names = (prefix: string) => Array.from({ length: TOTAL }, (_, i) => `${prefix}${i}`)
const file = (prefix: string) => xlsx([['客户名称'], ...names(prefix).map((name) => [name])])

/** Uploads a file larger than one request budget (set to 1 ms: one chunk), left running. */
async function uploadRunning(token: string, prefix: string): Promise<Job> {
  process.env.IMPORT_BUDGET_MS = '1'
  const { status, json } = await upload(t, token, 'customers', await file(prefix), { policy: 'create' })
  expect(status).toBe(201)
  expect(json).toMatchObject({ status: 'running', processed: CHUNK_ROWS })
  return json
}

const poll = async (token: string, id: string): Promise<Job> =>
  (await t.http('GET', `/api/imports/${id}`, { token })).json as Job

async function schedulerRun(budgetMs?: number) {
  const { status, json } = await t.http('POST', '/__dev/scheduler/run', { body: { budgetMs } })
  expect(status).toBe(200)
  return json as { imports: { jobs: number; rows: number; done: number } }
}

const customersTotal = async (token: string) =>
  (await t.http('GET', '/api/customers?limit=1', { token })).json.total as number

/** The names of the imported customers, sorted: all of the file's, each once. */
const importedNames = async (token: string, prefix: string) =>
  (await listAll<{ name: string }>(t, token, `/api/customers?q=${encodeURIComponent(prefix)}`))
    .map((c) => c.name)
    .sort()

describe('an import the server drives', () => {
  it('finishes an upload nobody follows: each scheduler run moves it on while the client only polls', async () => {
    const started = await uploadRunning(sales1, '无人值守客户')
    const progress: number[] = []
    let job = started
    for (let run = 0; job.status === 'running' && run < 10; run++) {
      await schedulerRun(1) // a run past its budget still moves one chunk
      job = await poll(sales1, started.id)
      progress.push(job.processed)
    }
    expect(progress).toEqual([2 * CHUNK_ROWS, TOTAL])
    expect(job).toMatchObject({ status: 'done', total: TOTAL, created: TOTAL, failed: 0 })
    expect(await importedNames(sales1, '无人值守客户')).toEqual(names('无人值守客户').sort())
  })

  it('runs every free job to its end within one scheduler run, past the request budget', async () => {
    const jobs = [await uploadRunning(sales1, '一分钟甲客户'), await uploadRunning(sales3, '一分钟乙客户')]
    const { imports } = await schedulerRun()
    expect(imports).toEqual({ jobs: 2, rows: 2 * (TOTAL - CHUNK_ROWS), done: 2 })
    expect(await poll(sales1, jobs[0].id)).toMatchObject({ status: 'done', created: TOTAL })
    expect(await poll(sales3, jobs[1].id)).toMatchObject({ status: 'done', created: TOTAL })
  })
})

describe('two drivers at once', () => {
  const sales1Session: Session = {
    tenantId: DEMO_CORP_ID,
    userId: 'sales1',
    name: 'sales1',
    role: 'member',
    deptIds: ['201'],
    scopeDeptIds: [],
  }

  it('imports every row exactly once when two scheduler runs take up the same job', async () => {
    const before = await customersTotal(sales1)
    const started = await uploadRunning(sales1, '双驱客户')
    const [a, b] = await Promise.all([schedulerRun(), schedulerRun()])
    expect([a.imports.jobs, b.imports.jobs].sort()).toEqual([0, 1])
    expect(await poll(sales1, started.id)).toMatchObject({ status: 'done', created: TOTAL, failed: 0 })
    expect(await importedNames(sales1, '双驱客户')).toEqual(names('双驱客户').sort())
    expect((await customersTotal(sales1)) - before).toBe(TOTAL)
  })

  it('imports every row exactly once when a stalled run’s lease lapses and the scheduler takes over mid-chunk', async () => {
    const before = await customersTotal(sales1)
    const started = await uploadRunning(sales1, '接管客户')
    let takeover: Awaited<ReturnType<typeof driveImports>> | undefined
    // the first run writes a chunk's rows, then stalls before its checkpoint while its lease lapses
    const stalled = await runImport(sales1Session, started.id, {
      deadline: now() + 60_000,
      beforeCheckpoint: async () => {
        if (takeover) return
        setClock(runningFrom(now() + 10 * 60_000))
        takeover = await driveImports([DEMO_CORP_ID], { deadline: now() + 60_000 })
      },
    })
    expect(takeover).toEqual({ jobs: 1, rows: TOTAL - CHUNK_ROWS, done: 1 })
    // the stalled run's checkpoint is refused; it answers the job as the new holder left it
    expect(stalled).toMatchObject({ status: 'done', processed: TOTAL, created: TOTAL, failed: 0 })
    expect(await importedNames(sales1, '接管客户')).toEqual(names('接管客户').sort())
    expect((await customersTotal(sales1)) - before).toBe(TOTAL)
  })
})
