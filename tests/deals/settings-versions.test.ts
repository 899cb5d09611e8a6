import { PutTransaction } from 'dynamodb-toolbox/entity/actions/transactPut'
import { beforeAll, describe, expect, it } from 'vitest'
import { nowIso } from '../../functions/core/clock.js'
import { commit } from '../../functions/db/commit.js'
import { DealSettingsEntity } from '../../functions/db/entities/deals.js'
import { readDealSettings } from '../../functions/domain/deals/settings.js'
import { forgetDirectory } from '../../functions/domain/directory/sessions.js'
import { settingsSavedWrite } from '../../functions/domain/directory/tenants.js'
import { DEMO_CORP_ID } from '../../local/emulator/index.js'
import { ApiError, ifMatch, versioned, type CallOptions } from '../../shared/api/client.js'
import { ddbUsage, useStack } from '../helpers/stack.js'

/**
 * 销售阶段 and 回款规则 keep a concurrent admin's save: 回款规则 carry `version` in the body (as 公海规则
 * do); the stage list is an array on the wire, so its version travels as ETag / If-Match. Both share the
 * one settings item, hence one version.
 */
const t = useStack()
let admin: string

beforeAll(async () => {
  admin = await t.login('admin')
})

type StageWire = { id?: string; name: string; probability: number; order: number; kind: string }

const getStages = async () => {
  const { status, json, headers } = await t.http<StageWire[]>('GET', '/api/settings/stages', { token: admin })
  expect(status).toBe(200)
  return { stages: json, etag: headers.get('etag') }
}
const putStages = (stages: StageWire[], headers: Record<string, string> = {}) =>
  t.http('PUT', '/api/settings/stages', { token: admin, body: stages, headers })
const getDeals = async () => (await t.http('GET', '/api/settings/deals', { token: admin })).json
const putDeals = (body: unknown) => t.http('PUT', '/api/settings/deals', { token: admin, body })

/** The stages with one renamed (a change the next GET shows). */
const renamed = (stages: StageWire[], id: string, name: string) =>
  stages.map((s) => (s.id === id ? { ...s, name } : s))

describe('回款规则 versions', () => {
  it('answers the rules with the settings version', async () => {
    const { json, headers } = await t.http('GET', '/api/settings/deals', { token: admin })
    expect(json).toEqual({ allowOverpayment: false, version: expect.any(Number) })
    expect(headers.get('etag')).toBeNull()
  })

  it('saves with the version read and answers the next version', async () => {
    const read = await getDeals()
    const { status, json } = await putDeals({ allowOverpayment: true, version: read.version })
    expect(status).toBe(200)
    expect(json).toEqual({ allowOverpayment: true, version: read.version + 1 })
    expect(await getDeals()).toEqual(json)
  })

  it('refuses a save with a stale version (409 version.conflict, Chinese message) and keeps the newer rules', async () => {
    const read = await getDeals()
    const other = await putDeals({ allowOverpayment: !read.allowOverpayment, version: read.version })
    expect(other.status).toBe(200)
    const { status, json } = await putDeals({
      allowOverpayment: read.allowOverpayment,
      version: read.version,
    })
    expect([status, json.error.code]).toEqual([409, 'version.conflict'])
    expect(json.error.message).toMatch(/已被他人修改/)
    expect(await getDeals()).toEqual(other.json)
  })

  it('refuses a save without a version (400 validation.failed)', async () => {
    const { status, json } = await putDeals({ allowOverpayment: true })
    expect([status, json.error.code]).toEqual([400, 'validation.failed'])
  })

  it('makes the rules read before a stage save stale, as both share the one settings version', async () => {
    const read = await getDeals()
    const { stages } = await getStages()
    expect((await putStages(renamed(stages, 's1', '共享版本'))).status).toBe(200)
    const { status } = await putDeals({ allowOverpayment: read.allowOverpayment, version: read.version })
    expect(status).toBe(409)
  })
})

describe('销售阶段 ETag / If-Match', () => {
  it('answers the stage list with an ETag carrying the settings version', async () => {
    const { etag } = await getStages()
    expect(etag).toBe(`"${(await getDeals()).version}"`)
  })

  it('saves with a matching If-Match and moves the ETag to the next version, in the answer and the next GET', async () => {
    const { stages, etag } = await getStages()
    const version = Number(JSON.parse(etag!))
    const saved = await putStages(renamed(stages, 's2', '拜访确认'), { 'if-match': etag! })
    expect(saved.status).toBe(200)
    expect(saved.headers.get('etag')).toBe(`"${version + 1}"`)
    const now = await getStages()
    expect(now.etag).toBe(`"${version + 1}"`)
    expect(now.stages.find((s) => s.id === 's2')?.name).toBe('拜访确认')
  })

  it('refuses a stale If-Match with 409 version.conflict and a Chinese message, writing nothing', async () => {
    const before = await getStages()
    const stale = `"${Number(JSON.parse(before.etag!)) - 1}"`
    const { status, json } = await putStages(renamed(before.stages, 's3', '不应保存'), { 'if-match': stale })
    expect([status, json.error.code]).toEqual([409, 'version.conflict'])
    expect(json.error.message).toMatch(/已被他人修改/)
    expect(await getStages()).toEqual(before)
  })

  it('refuses an If-Match that is not one of its tags as stale (409), writing nothing', async () => {
    const before = await getStages()
    const { status } = await putStages(renamed(before.stages, 's3', '不应保存'), { 'if-match': '"abc"' })
    expect(status).toBe(409)
    expect(await getStages()).toEqual(before)
  })

  it('still saves a list sent without If-Match (older clients) and moves the ETag', async () => {
    const before = await getStages()
    const saved = await putStages(renamed(before.stages, 's3', '意向确认'))
    expect(saved.status).toBe(200)
    const now = await getStages()
    expect(now.etag).toBe(`"${Number(JSON.parse(before.etag!)) + 1}"`)
    expect(now.stages.find((s) => s.id === 's3')?.name).toBe('意向确认')
  })

  it('lets exactly one of several concurrent saves with the same If-Match succeed; the others get 409', async () => {
    const { stages, etag } = await getStages()
    const attempts = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        putStages(renamed(stages, 's4', `并发${i}`), { 'if-match': etag! }),
      ),
    )
    const statuses = attempts.map((a) => a.status).sort()
    expect(statuses).toEqual([200, 409, 409, 409, 409])
    const winner = attempts.findIndex((a) => a.status === 200)
    const now = await getStages()
    expect(now.stages.find((s) => s.id === 's4')?.name).toBe(`并发${winner}`)
    expect(now.etag).toBe(`"${Number(JSON.parse(etag!)) + 1}"`)
  })

  it('round-trips the version through the typed client: load, save, and a stale save throws 409', async () => {
    const api = t.client(admin)
    const loaded = await versioned((options) => api.stages.list(options))
    expect(loaded.version).toEqual(expect.any(Number))
    const wire = loaded.value.map((s) => (s.id === 's1' ? { ...s, name: '客户端保存' } : s))
    const save = (options: CallOptions) =>
      api.stages.replace(wire, { ...options, headers: ifMatch(loaded.version) })
    const saved = await versioned(save)
    expect(saved.version).toBe(loaded.version! + 1)
    expect(saved.value.find((s) => s.id === 's1')?.name).toBe('客户端保存')
    const stale = await versioned(save).catch((error: unknown) => error)
    expect(stale).toBeInstanceOf(ApiError)
    expect((stale as ApiError).code).toBe('version.conflict')
  })

  it('lets the H5 app’s origin send If-Match and read the ETag (CORS)', async () => {
    const preflight = await t.http('OPTIONS', '/api/settings/stages', {
      headers: {
        origin: t.baseUrl,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'if-match,content-type',
      },
    })
    expect(preflight.headers.get('access-control-allow-headers')).toContain('if-match')
    const { headers } = await t.http('GET', '/api/settings/stages', {
      token: admin,
      headers: { origin: t.baseUrl },
    })
    expect(headers.get('access-control-expose-headers')).toContain('etag')
  })
})

describe('stages and rules held by a warm instance', () => {
  let sales: string
  let customerId: string
  const createOpportunity = (name: string, stageId?: string) =>
    t.http('POST', '/api/opportunities', {
      token: sales,
      body: { name, customerId, amount: 1, ...(stageId && { stageId }) },
    })

  beforeAll(async () => {
    sales = await t.login('sales1')
    customerId = (await t.http('POST', '/api/customers', { token: sales, body: { name: '阶段缓存客户' } }))
      .json.id
  })

  it('creates an opportunity reading its customer alone once the stages are held', async () => {
    expect((await createOpportunity('缓存商机一')).status).toBe(201)
    const { status, headers } = await createOpportunity('缓存商机二')
    expect(status).toBe(201)
    // the customer (GetItem) and the transaction
    expect(ddbUsage(headers).calls).toBe(2)
  })

  it("applies another instance's stage save at this instance's next session check", async () => {
    expect((await createOpportunity('缓存商机三')).status).toBe(201)
    const current = await readDealSettings(DEMO_CORP_ID)
    const added = { id: 'held9', name: '方案演示', probability: 50, order: 0, kind: 'open' as const }
    // another instance saves: the settings item and the tenant's settings version, nothing forgotten here
    await commit([
      {
        action: DealSettingsEntity.build(PutTransaction).item({
          tenantId: DEMO_CORP_ID,
          stages: [...current.stages, added],
          allowOverpayment: current.allowOverpayment,
          updatedAt: nowIso(),
          updatedBy: 'admin',
          version: current.version + 1,
        }),
      },
      settingsSavedWrite(DEMO_CORP_ID),
    ])
    forgetDirectory(DEMO_CORP_ID) // the session check's window is over
    expect((await createOpportunity('缓存商机四', added.id)).status).toBe(201)
  })
})
