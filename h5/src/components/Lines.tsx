import { useEffect, useState } from 'react'
import { lineAmount } from '../../../shared/schemas/index.js'
import { formatMoney } from '../../../shared/view/index.js'
import { api } from '../api.js'

/**
 * 产品明细 of 商机 and 合同: the form's editor (product, 数量, 单价 — the product's list price when left
 * empty —, 折扣 %, and each line's amount as the server will derive it) and the detail's table.
 */

interface SentLine {
  productId: string
  quantity: number | string
  unitPrice?: number | string
  discount: number | string
}
interface Product {
  id: string
  name: string
  price?: number
  unit?: string
}

const parse = (text: string): SentLine[] => (text ? (JSON.parse(text) as SentLine[]) : [])
const num = (v: unknown) => (v === '' || v === undefined || v === null ? NaN : Number(v))

/** A line's amount in fen as the server derives it, or undefined while a figure is not a number yet. */
function estimate(line: SentLine, product?: Product): number | undefined {
  const price =
    line.unitPrice === undefined || line.unitPrice === '' ? product?.price : num(line.unitPrice) * 100
  const quantity = num(line.quantity)
  const discount = line.discount === '' ? 0 : num(line.discount)
  if (price === undefined || ![price, quantity, discount].every(Number.isFinite)) return undefined
  return lineAmount(Math.round(price), quantity, discount)
}

export function LinesEditor(props: { value: string; onChange: (text: string) => void }) {
  const lines = parse(props.value)
  const [products, setProducts] = useState<Product[]>([])
  useEffect(() => {
    api.products.list({ enabled: true, limit: 200 }).then(
      (page) => setProducts(page.items),
      () => setProducts([]),
    )
  }, [])
  const set = (next: SentLine[]) => props.onChange(next.length ? JSON.stringify(next) : '[]')
  const edit = (i: number, patch: Partial<SentLine>) =>
    set(lines.map((l, j) => (j === i ? { ...l, ...patch } : l)))
  const productOf = (id: string) => products.find((p) => p.id === id)
  const amounts = lines.map((l) => estimate(l, productOf(l.productId)))
  const total = amounts.every((a) => a !== undefined) ? amounts.reduce((s, a) => s! + a!, 0) : undefined
  return (
    <div className="lines-editor">
      {lines.length ? (
        <table className="lines-table">
          <thead>
            <tr>
              <th>产品</th>
              <th>数量</th>
              <th>单价（元）</th>
              <th>折扣 %</th>
              <th>金额</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {lines.map((line, i) => (
              <tr key={i}>
                <td>
                  <select
                    className="select"
                    aria-label={`第 ${i + 1} 行产品`}
                    value={line.productId}
                    onChange={(e) => edit(i, { productId: e.target.value, unitPrice: undefined })}
                  >
                    <option value="">请选择</option>
                    {products.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input
                    aria-label={`第 ${i + 1} 行数量`}
                    inputMode="decimal"
                    value={String(line.quantity)}
                    onChange={(e) => edit(i, { quantity: e.target.value })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`第 ${i + 1} 行单价`}
                    inputMode="decimal"
                    value={line.unitPrice === undefined ? '' : String(line.unitPrice)}
                    placeholder={formatMoney(productOf(line.productId)?.price, { symbol: '' })}
                    onChange={(e) => edit(i, { unitPrice: e.target.value || undefined })}
                  />
                </td>
                <td>
                  <input
                    aria-label={`第 ${i + 1} 行折扣`}
                    inputMode="decimal"
                    value={String(line.discount)}
                    onChange={(e) => edit(i, { discount: e.target.value })}
                  />
                </td>
                <td className="num">{amounts[i] === undefined ? '—' : formatMoney(amounts[i])}</td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => set(lines.filter((_, j) => j !== i))}
                  >
                    删除
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="lines-foot">
        <button
          type="button"
          className="link-button"
          onClick={() => set([...lines, { productId: '', quantity: 1, discount: 0 }])}
        >
          ＋ 添加产品
        </button>
        {lines.length ? (
          <span>明细合计：{total === undefined ? '—' : formatMoney(total)}（保存后即为金额）</span>
        ) : null}
      </div>
    </div>
  )
}

interface KeptLine {
  productName: string
  quantity: number
  unitPrice: number
  discount: number
  amount: number
}

/** The detail's 产品明细. */
export function LinesTable({ lines }: { lines?: KeptLine[] }) {
  if (!lines?.length) return null
  return (
    <div className="lines-box">
      <h4>产品明细</h4>
      <table className="lines-table">
        <thead>
          <tr>
            <th>产品</th>
            <th>数量</th>
            <th>单价</th>
            <th>折扣</th>
            <th>金额</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l, i) => (
            <tr key={i}>
              <td>{l.productName}</td>
              <td className="num">{l.quantity}</td>
              <td className="num">{formatMoney(l.unitPrice)}</td>
              <td className="num">{l.discount ? `${l.discount}%` : '—'}</td>
              <td className="num">{formatMoney(l.amount)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
