import { ProductInput, type Product } from '../../../shared/schemas/index.js'
import { formatMoney } from '../../../shared/view/format.js'
import type * as z from 'zod'
import { recordApi, type RecordModule } from './types.js'

export const products: RecordModule<Product, z.output<typeof ProductInput>> = {
  key: 'product',
  collection: 'products',
  title: '产品',
  searchPlaceholder: '搜索产品名称',
  pages: { list: '/pages/product/list', detail: '/pages/product/detail', form: '/pages/product/form' },
  api: (client) => recordApi<Product, z.output<typeof ProductInput>>(client.products),
  input: ProductInput,
  fields: [
    { name: 'name', label: '产品名称', type: 'text', required: true, placeholder: '请输入产品名称' },
    { name: 'code', label: '产品编号', type: 'text', placeholder: '选填' },
    { name: 'unit', label: '单位', type: 'text', placeholder: '如：套、年' },
    { name: 'price', label: '单价（元）', type: 'money', placeholder: '0.00' },
    { name: 'enabled', label: '启用', type: 'switch', initial: true, display: (v) => (v ? '启用' : '停用') },
    { name: 'description', label: '产品描述', type: 'textarea', placeholder: '选填' },
  ],
  row: (p) => ({
    id: p.id,
    title: p.name,
    brief: [p.code, p.unit].filter(Boolean).join(' · ') || undefined,
    extra: p.enabled ? formatMoney(p.price) : '已停用',
  }),
}
