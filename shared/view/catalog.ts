import { CompetitorInput, ProductInput, type Competitor, type Product } from '../schemas/catalog.js'
import { formatMoney } from './format.js'
import { enabledLabels } from './labels.js'
import type { RecordView } from './record-view.js'

/** 产品 */
export const productView: RecordView<Product> = {
  collection: 'products',
  noun: '产品',
  title: (p) => p.name,
  brief: (p) =>
    [p.code, p.price === undefined ? undefined : `${formatMoney(p.price)}${p.unit ? ` / ${p.unit}` : ''}`]
      .filter(Boolean)
      .join(' · ') || (p.enabled ? '启用' : '停用'),
  fields: [
    { name: 'name', label: '产品名称', kind: 'text', required: true, placeholder: '请输入产品名称' },
    { name: 'code', label: '产品编号', kind: 'text', placeholder: '请输入产品编号' },
    { name: 'unit', label: '单位', kind: 'text', placeholder: '如：套、年、台' },
    { name: 'price', label: '单价（元）', kind: 'money', placeholder: '0.00' },
    { name: 'enabled', label: '启用', kind: 'boolean', options: enabledLabels },
    { name: 'description', label: '产品描述', kind: 'textarea', placeholder: '请输入产品描述' },
  ],
  columns: ['name', 'code', 'unit', 'price', 'enabled', 'updatedAt'],
  filters: [{ name: 'enabled', label: '状态', options: enabledLabels }],
  searchPlaceholder: '搜索产品名称',
  input: ProductInput,
}

/** 竞争对手 */
export const competitorView: RecordView<Competitor> = {
  collection: 'competitors',
  noun: '竞争对手',
  title: (c) => c.name,
  brief: (c) => c.strengths ?? '',
  fields: [
    { name: 'name', label: '名称', kind: 'text', required: true, placeholder: '请输入竞争对手名称' },
    { name: 'strengths', label: '优势', kind: 'textarea', placeholder: '对手的优势' },
    { name: 'weaknesses', label: '劣势', kind: 'textarea', placeholder: '对手的劣势' },
  ],
  columns: ['name', 'strengths', 'weaknesses', 'updatedAt'],
  searchPlaceholder: '搜索竞争对手名称',
  input: CompetitorInput,
}
