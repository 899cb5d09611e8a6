import { now } from '../../core/clock.js'
import { log } from '../../core/log.js'
import { inPool } from '../notifications/delivery.js'
import { abandonImport, freeJobs } from './jobs.js'
import type { RunOptions } from './run.js'
import { directoryOf } from '../reminders/audience.js'

/**
 * The server's side of an import: the scheduler runs every minute and, with what its run has left after
 * the reminders and the outbox, drives the running jobs nobody holds (jobs.ts: the sparse index of
 * running jobs, one Query per tenant) — each as its importer, with the session their login would give
 * now — until the deadline. A job that finishes early frees the run for the next: the tenants are asked
 * again while time is left, so a job uploaded meanwhile starts in the same minute. A deployed scheduler
 * thus keeps a large import going for most of every minute, and a client only polls.
 */

/** jobs run at once by one scheduler run (each already writes many batches in parallel) */
const JOBS_IN_FLIGHT = 2

export interface ImportDriveStats {
  /** jobs this run held and moved on */
  jobs: number
  /** rows they moved forward */
  rows: number
  /** jobs it finished */
  done: number
}

export const emptyDriveStats = (): ImportDriveStats => ({ jobs: 0, rows: 0, done: 0 })

export async function driveImports(
  tenantIds: string[],
  {
    deadline,
    concurrency = JOBS_IN_FLIGHT,
    run = {},
  }: { deadline: number; concurrency?: number; run?: Omit<RunOptions, 'deadline'> },
): Promise<ImportDriveStats> {
  const stats = emptyDriveStats()
  const directories = new Map<string, ReturnType<typeof directoryOf>>()
  const person = (tenantId: string, userId: string) => {
    if (!directories.has(tenantId)) directories.set(tenantId, directoryOf(tenantId))
    return directories.get(tenantId)!(userId)
  }
  // one go per job and run: a job that stops before the deadline lost its lease or failed, and waits
  const taken = new Set<string>()
  let started = 0
  do {
    const found = (await Promise.all(tenantIds.map(freeJobs))).flat().filter((job) => !taken.has(job.id))
    if (found.length === 0) break
    // the import code (parsing, importers, row writes) is loaded by the first run that finds a job: the
    // scheduler's every-minute cold start does not read it
    const { takeAndRun } = await import('./run.js')
    for (const job of found) taken.add(job.id)
    await inPool(found, concurrency, async ({ tenantId, id, userId }) => {
      // past the deadline only the first job starts: a run late from its other work still moves one
      if (now() >= deadline && started > 0) return
      started += 1
      try {
        const importer = await person(tenantId, userId)
        if (!importer) {
          await abandonImport(tenantId, id, '导入人已停用，导入已停止')
          return
        }
        const { job, from } = await takeAndRun(importer.session, id, { ...run, deadline })
        if (from === undefined) return // another run holds it
        stats.jobs += 1
        stats.rows += job.processed - from
        if (job.status === 'done') stats.done += 1
      } catch (error) {
        // its lease lapses and a later run tries again; the other jobs go on
        log('error', 'import.drive_failed', {
          tenantId,
          job: id,
          error: error instanceof Error ? error.message : String(error),
        })
      }
    })
  } while (now() < deadline)
  return stats
}
