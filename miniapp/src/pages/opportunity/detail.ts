import type { Stage } from '../../../../shared/schemas/index.js'
import { api } from '../../api/session.js'
import { definePage } from '../../host.js'
import { recordDetailPage, type DetailThis } from '../../lib/record-pages.js'
import { recordModules } from '../../modules/registry.js'

/** The line of stages: open ones, then won; a lost stage shows only when the opportunity is in it. */
function stepsOf(stages: Stage[], currentId: string) {
  const sorted = [...stages].sort((a, b) => a.order - b.order)
  const current = sorted.find((s) => s.id === currentId)
  const shown = sorted.filter((s) => s.kind !== 'lost' || s.id === currentId)
  return shown.map((s) => ({
    id: s.id,
    name: s.name,
    state:
      s.id === currentId
        ? s.kind === 'lost'
          ? 'lost'
          : 'current'
        : current && current.kind !== 'lost' && s.order < current.order
          ? 'done'
          : 'todo',
  }))
}

const stagesOf = new WeakMap<object, Stage[]>()

/** 商机详情: the stage steps above the record (推进 is one of its actions). */
definePage(
  recordDetailPage(recordModules.opportunities, {
    async afterLoad(page: DetailThis, record) {
      const stages = stagesOf.get(page) ?? (await api().stages.list())
      stagesOf.set(page, stages)
      page.setData({ steps: stepsOf(stages, String(record.stageId)) })
    },
  }),
)
