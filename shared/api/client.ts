import * as z from 'zod'
import {
  Briefing,
  Contract,
  ContractInput,
  DealSettingsRecord,
  Funnel,
  Invoice,
  InvoiceInput,
  Opportunity,
  OpportunityInput,
  Payment,
  PaymentInput,
  PaymentPlan,
  PaymentPlanInput,
  PaymentsReport,
  Performance,
  StageHistory,
  Stages,
  Target,
  TargetInput,
  TargetsReport,
  type StageInput,
} from '../schemas/index.js'
import {
  ApiErrorBody,
  BinEntry,
  type Cleared,
  Competitor,
  CompetitorInput,
  Dept,
  LoginResult,
  Me,
  Page,
  Patch,
  Product,
  ProductInput,
  User,
} from '../schemas/index.js'
import {
  Activity,
  Comment,
  Contact,
  ContactInput,
  ConvertResult,
  Customer,
  CustomerInput,
  CustomerPage,
  CustomerUpdate,
  Duplicates,
  FollowUp,
  FollowUpInput,
  Lead,
  LeadCreated,
  LeadInput,
  Likes,
  PoolSettingsRecord,
  SearchResult,
  type Category,
} from '../schemas/index.js'
import { MergeResult, type MergeInput } from '../schemas/index.js'
import {
  ImportJob,
  type ExportCollection,
  type ImportCollection,
  type ImportPolicy,
} from '../schemas/index.js'
import {
  NotificationSettings,
  OutboxMessage,
  Reminder,
  ReminderUpdate,
  type ReminderFilter,
} from '../schemas/index.js'

/**
 * The typed API client both UIs (and the tests) use. The transport is pluggable: `fetch` in the H5 app
 * and in Node, `dd.httpRequest` in the mini-program. Values are in internal units on this side (money in
 * fen): requests are encoded to the wire with the shared schemas and responses decoded with them.
 */
export interface TransportRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
}
export interface TransportResponse {
  status: number
  headers: Record<string, string>
  body: string
}
export type Transport = (request: TransportRequest) => Promise<TransportResponse>

export const fetchTransport: Transport = async ({ method, url, headers, body }) => {
  const response = await fetch(url, { method, headers, body })
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers.entries()),
    body: await response.text(),
  }
}

/** An error answer of the API, with its stable code (`pool.claim_limit_reached`...). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface ApiClientOptions {
  baseUrl: string
  transport?: Transport
  /** the current session token */
  getToken?: () => string | undefined
  /** logs in again after a 401 and returns the new token; the request is then retried once */
  relogin?: () => Promise<string>
}

type Query = Record<string, string | number | boolean | undefined>

export interface RequestOptions<T> {
  body?: unknown
  query?: Query
  /** decodes the response */
  schema?: z.ZodType<T>
  idempotencyKey?: string
  /** extra request headers (`if-match`...) */
  headers?: Record<string, string>
  /** sees the headers of a successful answer (`etag`...) */
  onHeaders?: (headers: Record<string, string>) => void
}

/** The version an answer's ETag (`"3"`) carries; header names may come in any case. */
const versionOfTag = (headers: Record<string, string>): number | undefined => {
  const tag = Object.entries(headers).find(([name]) => name.toLowerCase() === 'etag')?.[1]
  const match = tag ? /"(\d+)"/.exec(tag) : null
  return match ? Number(match[1]) : undefined
}

const toQueryString = (query: Query = {}) => {
  const params = Object.entries(query).filter(([, v]) => v !== undefined && v !== '')
  return params.length ? '?' + new URLSearchParams(params.map(([k, v]) => [k, String(v)])).toString() : ''
}

export function createApiClient(options: ApiClientOptions) {
  const transport = options.transport ?? fetchTransport

  async function send(
    method: string,
    path: string,
    { body, query, idempotencyKey, headers: extra }: RequestOptions<unknown>,
    token?: string,
  ) {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (token) headers.authorization = `Bearer ${token}`
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey
    Object.assign(headers, extra)
    return transport({
      method,
      url: options.baseUrl + path + toQueryString(query),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  }

  async function request<T = unknown>(
    method: string,
    path: string,
    opts: RequestOptions<T> = {},
  ): Promise<T> {
    let response = await send(method, path, opts, options.getToken?.())
    if (response.status === 401 && options.relogin)
      response = await send(method, path, opts, await options.relogin())
    if (response.status >= 400) {
      const parsed = ApiErrorBody.safeParse(safeJson(response.body))
      if (parsed.success) {
        const { code, message, details } = parsed.data.error
        throw new ApiError(response.status, code, message, details)
      }
      throw new ApiError(response.status, 'http.error', `请求失败（HTTP ${response.status}）`)
    }
    opts.onHeaders?.(response.headers)
    const json = response.body ? safeJson(response.body) : undefined
    return opts.schema ? opts.schema.parse(json) : (json as T)
  }

  /** The CRUD calls of a collection served by the route factory. */
  function resource<R extends z.ZodType, I extends z.ZodObject, F extends Query = Query>(
    path: string,
    record: R,
    input: I,
  ) {
    const page = Page(record) as z.ZodType<Page<z.output<R>>>
    const patch = Patch(input, record)
    // A generic R does not let TypeScript infer the decoded type through `schema`; name it once.
    const one = record as z.ZodType<z.output<R>>
    return {
      list: (filter?: F & { limit?: number; cursor?: string }) =>
        request('GET', path, { query: filter, schema: page }),
      get: (id: string) => request('GET', `${path}/${encodeURIComponent(id)}`, { schema: one }),
      create: (value: z.output<I>, idempotencyKey?: string) =>
        request('POST', path, { body: z.encode(input, value), schema: one, idempotencyKey }),
      // a field given as `null` is cleared
      update: (id: string, changes: Cleared<z.output<I>> & { version: number }) =>
        request('PATCH', `${path}/${encodeURIComponent(id)}`, {
          // (the encoder turns a cleared field back into `null`)
          body: z.encode(patch, changes as Partial<z.output<I>> & { version: number }),
          schema: one,
        }),
      remove: (id: string) => request('DELETE', `${path}/${encodeURIComponent(id)}`),
    }
  }

  return {
    request,
    resource,
    auth: {
      login: (authCode: string, corpId: string) =>
        request('POST', '/api/auth/login', { body: { authCode, corpId }, schema: LoginResult }),
      me: () => request('GET', '/api/me', { schema: Me }),
    },
    users: {
      list: (filter: { deptId?: string; q?: string; limit?: number; cursor?: string } = {}) =>
        request('GET', '/api/users', { query: filter, schema: Page(User) }),
      setRole: (id: string, role: User['role']) =>
        request('PUT', `/api/users/${encodeURIComponent(id)}/role`, { body: { role }, schema: User }),
    },
    depts: {
      list: (filter: { q?: string; limit?: number; cursor?: string } = {}) =>
        request('GET', '/api/depts', { query: filter, schema: Page(Dept) }),
    },
    products: resource<typeof Product, typeof ProductInput, { q?: string; enabled?: boolean }>(
      '/api/products',
      Product,
      ProductInput,
    ),
    competitors: resource<typeof Competitor, typeof CompetitorInput, { q?: string }>(
      '/api/competitors',
      Competitor,
      CompetitorInput,
    ),
    // 商机 / 合同 / 回款 / 发票 / 目标 / 报表 (money in fen on this side, as everywhere)
    opportunities: {
      ...resource<
        typeof Opportunity,
        typeof OpportunityInput,
        {
          stageId?: string
          customerId?: string
          ownerId?: string
          importance?: string
          expectedCloseFrom?: string
          expectedCloseTo?: string
          q?: string
        }
      >('/api/opportunities', Opportunity, OpportunityInput),
      moveStage: (id: string, move: { stageId: string; note?: string; lostReason?: string }) =>
        request('POST', `/api/opportunities/${encodeURIComponent(id)}/stage`, {
          body: move,
          schema: Opportunity,
        }),
      stages: (id: string) =>
        request('GET', `/api/opportunities/${encodeURIComponent(id)}/stages`, { schema: StageHistory }),
    },
    stages: {
      list: () => request('GET', '/api/settings/stages', { schema: Stages }),
      replace: (stages: z.input<typeof StageInput>[]) =>
        request('PUT', '/api/settings/stages', { body: stages, schema: Stages }),
      /** the list with the settings version its ETag carries (for the settings page) */
      load: async () => {
        let version: number | undefined
        const onHeaders = (h: Record<string, string>) => (version = versionOfTag(h))
        const stages = await request('GET', '/api/settings/stages', { schema: Stages, onHeaders })
        return { stages, version }
      },
      /** saves only if the settings are still at `version` (If-Match), else 409 `version.conflict` */
      save: async (stages: z.input<typeof StageInput>[], version: number | undefined) => {
        let next: number | undefined
        const onHeaders = (h: Record<string, string>) => (next = versionOfTag(h))
        const headers: Record<string, string> = version === undefined ? {} : { 'if-match': `"${version}"` }
        const saved = await request('PUT', '/api/settings/stages', {
          body: stages,
          schema: Stages,
          headers,
          onHeaders,
        })
        return { stages: saved, version: next }
      },
    },
    dealSettings: {
      get: () => request('GET', '/api/settings/deals', { schema: DealSettingsRecord }),
      put: (settings: DealSettingsRecord) =>
        request('PUT', '/api/settings/deals', { body: settings, schema: DealSettingsRecord }),
    },
    contracts: resource<
      typeof Contract,
      typeof ContractInput,
      {
        customerId?: string
        opportunityId?: string
        ownerId?: string
        type?: string
        signedFrom?: string
        signedTo?: string
        q?: string
      }
    >('/api/contracts', Contract, ContractInput),
    paymentPlans: resource<
      typeof PaymentPlan,
      typeof PaymentPlanInput,
      { contractId?: string; ownerId?: string; dueFrom?: string; dueTo?: string; overdue?: boolean }
    >('/api/payment-plans', PaymentPlan, PaymentPlanInput),
    payments: resource<
      typeof Payment,
      typeof PaymentInput,
      {
        contractId?: string
        customerId?: string
        ownerId?: string
        method?: string
        receivedFrom?: string
        receivedTo?: string
      }
    >('/api/payments', Payment, PaymentInput),
    invoices: resource<
      typeof Invoice,
      typeof InvoiceInput,
      { contractId?: string; ownerId?: string; type?: string; issuedFrom?: string; issuedTo?: string }
    >('/api/invoices', Invoice, InvoiceInput),
    targets: resource<
      typeof Target,
      typeof TargetInput,
      { year?: number; metric?: string; scope?: string; subjectId?: string }
    >('/api/targets', Target, TargetInput),
    reports: {
      briefing: (query: { from?: string; to?: string; scope?: 'team' | 'self' } = {}) =>
        request('GET', '/api/reports/briefing', { query, schema: Briefing }),
      targets: (query: {
        year: number
        metric?: 'contractAmount' | 'paymentAmount'
        scope?: 'dept' | 'user'
      }) => request('GET', '/api/reports/targets', { query, schema: TargetsReport }),
      performance: (query: { from?: string; to?: string; groupBy?: 'user' | 'dept' } = {}) =>
        request('GET', '/api/reports/performance', { query, schema: Performance }),
      payments: (query: { year: number }) =>
        request('GET', '/api/reports/payments', { query, schema: PaymentsReport }),
      funnel: (query: { from?: string; to?: string } = {}) =>
        request('GET', '/api/reports/funnel', { query, schema: Funnel }),
    },
    recycleBin: {
      list: (filter: { collection?: string; limit?: number; cursor?: string } = {}) =>
        request('GET', '/api/recycle-bin', { query: filter, schema: Page(BinEntry) }),
      restore: (collection: string, id: string) =>
        request('POST', `/api/recycle-bin/${collection}/${encodeURIComponent(id)}/restore`),
    },
    // ------------------------------------------------ 客户生命周期 (线索 / 公海 / 客户 / 联系人 / 跟进)
    customers: {
      ...resource('/api/customers', Customer, CustomerUpdate),
      list: (filter: CustomerListFilter = {}) =>
        request('GET', '/api/customers', { query: filter, schema: CustomerPage }),
      create: (value: z.output<typeof CustomerInput>, idempotencyKey?: string) =>
        request('POST', '/api/customers', {
          body: z.encode(CustomerInput, value),
          schema: Customer,
          idempotencyKey,
        }),
      claim: (id: string) =>
        request('POST', `/api/customers/${encodeURIComponent(id)}/claim`, { schema: Customer }),
      release: (id: string, reason: string) =>
        request('POST', `/api/customers/${encodeURIComponent(id)}/release`, {
          body: { reason },
          schema: Customer,
        }),
      assign: (id: string, ownerId: string) =>
        request('POST', `/api/customers/${encodeURIComponent(id)}/assign`, {
          body: { ownerId },
          schema: Customer,
        }),
      setCategory: (id: string, category: Category) =>
        request('POST', `/api/customers/${encodeURIComponent(id)}/category`, {
          body: { category },
          schema: Customer,
        }),
      setCollaborators: (id: string, collaboratorIds: string[]) =>
        request('PUT', `/api/customers/${encodeURIComponent(id)}/collaborators`, {
          body: { collaboratorIds },
          schema: Customer,
        }),
      duplicates: (query: { name?: string; phone?: string }) =>
        request('GET', '/api/customers/duplicates', { query, schema: Duplicates }),
      /** 客户合并: the sources' records move to the target, the sources go to the recycle bin */
      merge: (input: z.input<typeof MergeInput>) =>
        request('POST', '/api/customers/merge', { body: input, schema: MergeResult }),
      timeline: (id: string, page: { limit?: number; cursor?: string } = {}) =>
        request('GET', `/api/customers/${encodeURIComponent(id)}/timeline`, {
          query: page,
          schema: Page(Activity),
        }),
      contacts: (id: string, page: { limit?: number; cursor?: string } = {}) =>
        request('GET', `/api/customers/${encodeURIComponent(id)}/contacts`, {
          query: page,
          schema: TabPage(Contact),
        }),
      followUps: (id: string, page: { limit?: number; cursor?: string } = {}) =>
        request('GET', `/api/customers/${encodeURIComponent(id)}/followups`, {
          query: page,
          schema: TabPage(FollowUp),
        }),
    },
    pool: {
      list: (filter: CustomerListFilter = {}) =>
        request('GET', '/api/pool', { query: filter, schema: CustomerPage }),
      create: (value: z.output<typeof CustomerInput>) =>
        request('POST', '/api/pool', { body: z.encode(CustomerInput, value), schema: Customer }),
      settings: () => request('GET', '/api/settings/pool', { schema: PoolSettingsRecord }),
      saveSettings: (value: z.output<typeof PoolSettingsRecord>) =>
        request('PUT', '/api/settings/pool', { body: value, schema: PoolSettingsRecord }),
    },
    contacts: resource<typeof Contact, typeof ContactInput, { customerId?: string; q?: string }>(
      '/api/contacts',
      Contact,
      ContactInput,
    ),
    followUps: resource<typeof FollowUp, typeof FollowUpInput, { customerId?: string; method?: string }>(
      '/api/followups',
      FollowUp,
      FollowUpInput,
    ),
    leads: {
      ...resource<
        typeof Lead,
        typeof LeadInput,
        { status?: Lead['status']; assigneeId?: string; q?: string; open?: boolean }
      >('/api/leads', Lead, LeadInput),
      create: (value: z.output<typeof LeadInput>, idempotencyKey?: string) =>
        request('POST', '/api/leads', {
          body: z.encode(LeadInput, value),
          schema: LeadCreated,
          idempotencyKey,
        }),
      assign: (id: string, assigneeId: string) =>
        request('POST', `/api/leads/${encodeURIComponent(id)}/assign`, {
          body: { assigneeId },
          schema: Lead,
        }),
      convert: (
        id: string,
        body: { customer?: Partial<z.input<typeof CustomerInput>>; contact?: object } = {},
      ) => request('POST', `/api/leads/${encodeURIComponent(id)}/convert`, { body, schema: ConvertResult }),
      markInvalid: (id: string, reason: string) =>
        request('POST', `/api/leads/${encodeURIComponent(id)}/invalid`, { body: { reason }, schema: Lead }),
      timeline: (id: string, page: { limit?: number; cursor?: string } = {}) =>
        request('GET', `/api/leads/${encodeURIComponent(id)}/timeline`, {
          query: page,
          schema: Page(Activity),
        }),
    },
    /** 评论 and 赞 on any record: `collection` as in its URL (`customers`, `leads`, ...) */
    social: {
      comments: (collection: string, id: string, page: { limit?: number; cursor?: string } = {}) =>
        request('GET', `/api/${collection}/${encodeURIComponent(id)}/comments`, {
          query: page,
          schema: Page(Comment),
        }),
      comment: (collection: string, id: string, content: string) =>
        request('POST', `/api/${collection}/${encodeURIComponent(id)}/comments`, {
          body: { content },
          schema: Comment,
        }),
      likes: (collection: string, id: string) =>
        request('GET', `/api/${collection}/${encodeURIComponent(id)}/likes`, { schema: Likes }),
      like: (collection: string, id: string, liked = true) =>
        request(liked ? 'POST' : 'DELETE', `/api/${collection}/${encodeURIComponent(id)}/likes`, {
          schema: Likes,
        }),
    },
    search: (q: string, limit?: number) =>
      request('GET', '/api/search', { query: { q, limit }, schema: SearchResult }),
    /** 任务提醒; `update` also closes (`status: 'done' | 'cancelled'`) or reopens one */
    reminders: {
      ...resource<typeof Reminder, typeof ReminderUpdate, Omit<Partial<ReminderFilter>, 'limit' | 'cursor'>>(
        '/api/reminders',
        Reminder,
        ReminderUpdate,
      ),
      /** 我的提醒; `dueBefore`: my open ones due before it, oldest first */
      mine: (
        filter: { status?: Reminder['status']; dueBefore?: string; limit?: number; cursor?: string } = {},
      ) => request('GET', '/api/reminders', { query: { ...filter, mine: true }, schema: Page(Reminder) }),
    },
    notificationSettings: {
      get: () => request('GET', '/api/settings/notifications', { schema: NotificationSettings }),
      put: (value: { groups: NotificationSettings['groups']; version?: number }) =>
        request('PUT', '/api/settings/notifications', { body: value, schema: NotificationSettings }),
    },
    /** admins: DingTalk messages parked after failing, and the queue */
    outbox: {
      list: (filter: { status?: 'failed' | 'pending'; limit?: number; cursor?: string } = {}) =>
        request('GET', '/api/admin/outbox', { query: filter, schema: Page(OutboxMessage) }),
      retry: (id: string) =>
        request('POST', `/api/admin/outbox/${encodeURIComponent(id)}/retry`, { schema: OutboxMessage }),
    },
    /**
     * 导入 / 导出. An upload is multipart, which the string transport cannot carry: `start` posts a
     * `FormData` with `fetch` (H5, Node); the mini-program uploads to `uploadUrl` with `dd.uploadFile`
     * (`name: 'file'`, the same form fields). A job still `running` after the upload goes on on the server
     * (the scheduler): poll `get`; `resume` is a manual retry of a job that stopped moving.
     */
    imports: {
      uploadUrl: (collection: ImportCollection) => `${options.baseUrl}/api/imports/${collection}`,
      start: async (
        collection: ImportCollection,
        file: Blob,
        form: {
          fileName: string
          policy?: ImportPolicy
          target?: 'mine' | 'pool'
          mapping?: Record<string, string>
        },
      ) => {
        const body = new FormData()
        body.append('file', file, form.fileName)
        if (form.policy) body.append('policy', form.policy)
        if (form.target) body.append('target', form.target)
        if (form.mapping) body.append('mapping', JSON.stringify(form.mapping))
        const token = options.getToken?.()
        const response = await fetch(`${options.baseUrl}/api/imports/${collection}`, {
          method: 'POST',
          headers: token ? { authorization: `Bearer ${token}` } : {},
          body,
        })
        const text = await response.text()
        if (response.status >= 400) {
          const parsed = ApiErrorBody.safeParse(safeJson(text))
          const error = parsed.success ? parsed.data.error : undefined
          throw new ApiError(
            response.status,
            error?.code ?? 'http.error',
            error?.message ?? `上传失败（HTTP ${response.status}）`,
            error?.details,
          )
        }
        return ImportJob.parse(safeJson(text))
      },
      get: (id: string) => request('GET', `/api/imports/${encodeURIComponent(id)}`, { schema: ImportJob }),
      resume: (id: string) =>
        request('POST', `/api/imports/${encodeURIComponent(id)}/resume`, { schema: ImportJob }),
      /** the failed rows as XLSX (a download: open it with the session's token) */
      errorReportUrl: (id: string) => `${options.baseUrl}/api/imports/${encodeURIComponent(id)}/errors.xlsx`,
    },
    exports: {
      /** the list as a file, with the list's own filters */
      url: (collection: ExportCollection, query: Query & { format?: 'xlsx' | 'csv' } = {}) =>
        `${options.baseUrl}/api/exports/${collection}${toQueryString(query)}`,
    },
  }
}

/** the filters of the customer and pool lists (API.md "Customer lifecycle") */
export type CustomerListFilter = {
  q?: string
  category?: Category
  source?: string
  ownerId?: string
  deptId?: string
  lastFollowUpFrom?: string
  lastFollowUpTo?: string
  /** 我协助的 */
  collaborating?: boolean
  limit?: number
  cursor?: string
}

/** a customer's tab: a page with the tab's kept count on the first page */
const TabPage = <T extends z.ZodType>(item: T) => Page(item).extend({ total: z.int().nullable() })

export type ApiClient = ReturnType<typeof createApiClient>

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
