import type { Stage } from '../../../../shared/schemas/index.js'
import { api } from '../../api/session.js'
import { definePage } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { askText, chooseFrom, toast } from '../../lib/pickers.js'
import { recordDetailPage, type DetailThis } from '../../lib/record-pages.js'
import { markStale } from '../../lib/stale.js'
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

/** 商机详情: the stage steps and 推进 (each move recorded with its time in the stage). */
definePage(
  recordDetailPage(recordModules.opportunities, {
    actions: [
      { key: 'onAdvance', label: '推进', type: 'primary' },
      { key: 'onEdit', label: '编辑', type: 'default' },
      { key: 'onDelete', label: '删除', type: 'warn' },
    ],
    async afterLoad(page: DetailThis, record) {
      const stages = stagesOf.get(page) ?? (await api().stages.list())
      stagesOf.set(page, stages)
      page.setData({ steps: stepsOf(stages, String(record.stageId)) })
    },
    methods: {
      async onAdvance() {
        const current = this.data.record?.stageId
        const stages = (stagesOf.get(this) ?? [])
          .filter((s) => s.id !== current)
          .sort((a, b) => a.order - b.order)
        const index = await chooseFrom(
          '推进到',
          stages.map((s) => `${s.name}（${s.probability}%）`),
        )
        if (index < 0) return
        const stage = stages[index]
        const lostReason = stage.kind === 'lost' ? await askText('输单原因', '请填写输单原因') : undefined
        if (stage.kind === 'lost' && !lostReason) return toast('请填写输单原因')
        try {
          await api().opportunities.moveStage(this.data.id, { stageId: stage.id, lostReason })
          markStale('opportunities')
          toast(`已推进到「${stage.name}」`, 'success')
          await this.reload()
        } catch (error) {
          toast(errorText(error), 'fail')
        }
      },
    },
  }),
)
