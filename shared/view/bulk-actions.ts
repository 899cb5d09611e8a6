import type { ApiClient } from '../api/client.js'
import type { BulkResult, Category } from '../schemas/index.js'
import { customerCategoryLabels } from './labels.js'
import type { Ask, ActionInput, Viewer } from './record-actions.js'

/**
 * 批量操作 of a list (the PC console's table): which the caller may take on which list, what each asks
 * (a person, a reason, a choice, a confirmation) and the bulk route it calls. The answer lists each
 * record done or failed with the reason, which `bulkSummary` words.
 */
export interface BulkAction {
  key: string
  label: string
  tone: 'default' | 'danger'
  confirm?: { title: string; message: string; ok: string }
  ask?: Ask
  run(api: ApiClient, ids: string[], input: ActionInput): Promise<BulkResult>
}

const categoryChoices = Object.entries(customerCategoryLabels).map(([value, label]) => ({ value, label }))

const removal = (noun: string, run: BulkAction['run']): BulkAction => ({
  key: 'delete',
  label: '删除',
  tone: 'danger',
  confirm: {
    title: '批量删除',
    message: `删除选中的${noun}？删除后可在回收站恢复。`,
    ok: '删除',
  },
  run,
})

const reassign = (title: string, run: BulkAction['run']): BulkAction => ({
  key: 'assign',
  label: '经理调整',
  tone: 'default',
  ask: { kind: 'user', title },
  run,
})

const lists: Record<string, (viewer: Viewer) => BulkAction[]> = {
  customers: (viewer) => [
    ...(viewer.role === 'member'
      ? []
      : [
          reassign('经理调整：选择新的客户经理', (api, ids, { value }) =>
            api.customers.bulk.assign({ ids, ownerId: value! }),
          ),
        ]),
    {
      key: 'release',
      label: '返回公海',
      tone: 'default',
      ask: { kind: 'reason', title: '返回公海', message: '请填写退回公海的原因' },
      run: (api, ids, { reason }) => api.customers.bulk.release({ ids, reason: reason! }),
    },
    {
      key: 'category',
      label: '分类调整',
      tone: 'default',
      ask: { kind: 'choice', title: '分类调整', choices: async () => categoryChoices },
      run: (api, ids, { value }) => api.customers.bulk.category({ ids, category: value as Category }),
    },
    removal('客户', (api, ids) => api.customers.bulk.delete({ ids })),
  ],
  // 公海: a manager's 分配 and 删除 (a member only claims, one at a time)
  pool: (viewer) =>
    viewer.role === 'member'
      ? []
      : [
          {
            ...reassign('分配给', (api, ids, { value }) =>
              api.customers.bulk.assign({ ids, ownerId: value! }),
            ),
            label: '分配',
          },
          removal('公海客户', (api, ids) => api.customers.bulk.delete({ ids })),
        ],
  leads: (viewer) => [
    ...(viewer.role === 'member'
      ? []
      : [
          {
            ...reassign('分配给', (api, ids, { value }) =>
              api.leads.bulk.assign({ ids, assigneeId: value! }),
            ),
            label: '分配',
          },
        ]),
    removal('线索', (api, ids) => api.leads.bulk.delete({ ids })),
  ],
  opportunities: (viewer) => [
    ...(viewer.role === 'member'
      ? []
      : [
          reassign('调整负责人', (api, ids, { value }) =>
            api.opportunities.bulk.assign({ ids, ownerId: value! }),
          ),
        ]),
    removal('商机', (api, ids) => api.opportunities.bulk.delete({ ids })),
  ],
  contracts: (viewer) => [
    ...(viewer.role === 'member'
      ? []
      : [
          reassign('调整负责人', (api, ids, { value }) =>
            api.contracts.bulk.assign({ ids, ownerId: value! }),
          ),
        ]),
    removal('合同', (api, ids) => api.contracts.bulk.delete({ ids })),
  ],
}

/** The bulk actions of a list for the caller (none: the list has no row selection). */
export const bulkActions = (list: string, viewer: Viewer): BulkAction[] => lists[list]?.(viewer) ?? []

/** The result in words: 「已完成 3 条，失败 1 条」 and each failure as 「名称：原因」. */
export function bulkSummary(result: BulkResult, nameOf: (id: string) => string) {
  const { done, failed } = result
  return {
    title: failed.length ? `已完成 ${done.length} 条，失败 ${failed.length} 条` : `已完成 ${done.length} 条`,
    // a record gone or out of scope answers 404 with the noun's code: said in words
    failures: failed.map(
      (f) =>
        `${nameOf(f.id)}：${f.code.endsWith('.not_found') ? '已不存在，或不在你的权限范围内' : f.message}`,
    ),
  }
}
