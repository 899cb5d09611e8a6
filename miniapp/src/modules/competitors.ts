import { CompetitorInput, type Competitor } from '../../../shared/schemas/index.js'
import type * as z from 'zod'
import { recordApi, type RecordModule } from './types.js'

export const competitors: RecordModule<Competitor, z.output<typeof CompetitorInput>> = {
  key: 'competitor',
  collection: 'competitors',
  title: '竞争对手',
  searchPlaceholder: '搜索竞争对手',
  pages: {
    list: '/pages/competitor/list',
    detail: '/pages/competitor/detail',
    form: '/pages/competitor/form',
  },
  api: (client) => recordApi<Competitor, z.output<typeof CompetitorInput>>(client.competitors),
  input: CompetitorInput,
  fields: [
    { name: 'name', label: '名称', type: 'text', required: true, placeholder: '请输入竞争对手名称' },
    { name: 'strengths', label: '优势', type: 'textarea', placeholder: '选填' },
    { name: 'weaknesses', label: '劣势', type: 'textarea', placeholder: '选填' },
  ],
  row: (c) => ({ id: c.id, title: c.name, brief: c.strengths }),
}
