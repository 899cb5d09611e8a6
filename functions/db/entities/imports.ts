import { Entity } from 'dynamodb-toolbox/entity'
import { any } from 'dynamodb-toolbox/schema/any'
import { binary } from 'dynamodb-toolbox/schema/binary'
import { item } from 'dynamodb-toolbox/schema/item'
import { list } from 'dynamodb-toolbox/schema/list'
import { map } from 'dynamodb-toolbox/schema/map'
import { number } from 'dynamodb-toolbox/schema/number'
import { string } from 'dynamodb-toolbox/schema/string'
import { table } from '../table.js'
import { tenantKey, TAG } from './record.js'

/**
 * 导入任务 (`T#t#IMP#<jobId>`, sk `#`): the job's state and counts, moved forward one checkpoint at a time
 * (`processed` = rows done, guarded by `version`). Its item collection also holds the uploaded file in
 * chunks (`FILE#<n>`) and one item per failed row (`ERR#<row>`), so a later run can re-read the file and
 * the error report can list every failed row. All of it expires (TTL) a week after the upload. While it
 * runs it sits in the sparse index gsi3 (`T#t#IMP#RUN` → `<free from>#<id>`), so the scheduler finds the
 * jobs it may drive with one Query.
 */
export const ImportJobEntity = new Entity({
  name: 'importJobs',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    id: string().key(),
    collection: string(),
    /** the importer: only they read the job */
    userId: string(),
    status: string().enum('running', 'done', 'failed'),
    policy: string(),
    target: string().optional(),
    mapping: any().optional(),
    fileName: string(),
    fileType: string().enum('csv', 'xlsx'),
    fileChunks: number(),
    /** the file's header row, for the error report */
    headers: list(string()),
    total: number(),
    processed: number(),
    created: number(),
    updated: number(),
    skipped: number(),
    failed: number(),
    /** the first failed rows (the error report has all of them) */
    errors: list(map({ row: number(), message: string() })),
    message: string().optional(),
    /** a worker holds the job until then; another resume waits */
    leaseUntil: string().optional(),
    createdAt: string(),
    updatedAt: string(),
    version: number(),
    expiresAt: number(),
    gsi3pk: string().optional(),
    gsi3sk: string().optional(),
  }),
  computeKey: ({ tenantId, id }: { tenantId: string; id: string }) => ({
    pk: tenantKey(tenantId, TAG.importJob, id),
    sk: '#',
  }),
})

/** A part of a job: a chunk of the uploaded file (`FILE#0003`) or a failed row (`ERR#000042`). */
export const ImportPartEntity = new Entity({
  name: 'importParts',
  table,
  timestamps: false,
  schema: item({
    tenantId: string().key(),
    jobId: string().key(),
    part: string().key(),
    data: binary().optional(),
    row: number().optional(),
    message: string().optional(),
    /** the row's cells as in the file */
    cells: list(string()).optional(),
    expiresAt: number(),
  }),
  computeKey: ({ tenantId, jobId, part }: { tenantId: string; jobId: string; part: string }) => ({
    pk: tenantKey(tenantId, TAG.importJob, jobId),
    sk: part,
  }),
})
