import { type Line, type LineInput, lineAmount } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { unprocessable } from '../../core/errors.js'
import type { Write } from '../../db/commit.js'
import { counterWrite, reportCounter } from '../../db/counters.js'
import { getRecords } from '../../db/records.js'
import { inEffect } from '../approvals/effect.js'
import { Products } from './catalog.js'

/**
 * 产品明细 of opportunities and contracts: each line's amount is derived here, exact to the fen
 * (`lineAmount`, integer arithmetic), and the record's amount is the sum of its lines.
 */

export const linesTotal = (lines: readonly Pick<Line, 'amount'>[]) =>
  lines.reduce((sum, line) => sum + line.amount, 0)

/**
 * Lines as sent, priced: the product's list price where no unit price is given, each amount derived,
 * and their total. A product must exist; a disabled one may not be added (one the record already has,
 * `kept`, may stay). One BatchGetItem for the products.
 */
export async function priceLines(
  session: Session,
  input: readonly LineInput[],
  kept: readonly Line[] = [],
): Promise<{ lines: Line[]; amount: number }> {
  const products = await getRecords(
    Products,
    session.tenantId,
    input.map((l) => l.productId),
  )
  const had = new Set(kept.map((l) => l.productId))
  const lines = input.map((line, i): Line => {
    const product = products.get(line.productId)
    const at = `产品明细第 ${i + 1} 行`
    if (!product) throw unprocessable('line.product_not_found', `${at}：产品不存在`)
    if (product.enabled === false && !had.has(product.id)) {
      throw unprocessable('line.product_disabled', `${at}：产品「${product.name}」已停用，不能添加`)
    }
    const unitPrice = line.unitPrice ?? product.price
    if (unitPrice === undefined) {
      throw unprocessable('line.price_required', `${at}：产品「${product.name}」没有标准价格，请填写单价`)
    }
    return {
      productId: product.id,
      productName: product.name,
      quantity: line.quantity,
      unitPrice,
      discount: line.discount,
      amount: lineAmount(unitPrice, line.quantity, line.discount),
    }
  })
  return { lines, amount: linesTotal(lines) }
}

// ---------------------------------------------------------------- 产品销售 counters

/** What a contract's lines count in: per product and day, for the owner's department and the tenant. */
export interface Sold {
  tenantId: string
  signedAt: string
  ownerId?: string
  deptId?: string
  lines?: Line[]
  deletedAt?: string
  approval?: { status: string }
}

export const productAmountMetric = (productId: string) => `productAmount:${productId}`
/** quantities are counted in hundredths (two decimals), so their sums stay integers */
export const productQuantityMetric = (productId: string) => `productQuantity100:${productId}`

/**
 * The 产品销售 counters a contract adds up to (the rebuild sums them over every contract): none until it
 * is in effect, as its 合同金额 (a pending, rejected or withdrawn contract has sold nothing yet).
 */
export function productSalesCounts(record: Sold | undefined): Map<string, number> {
  const counts = new Map<string, number>()
  if (!record || record.deletedAt || !inEffect(record)) return counts
  // on the signing day: a month's figure is the sum of its days (db/counters.ts)
  const day = record.signedAt
  const add = (name: string, value: number) => counts.set(name, (counts.get(name) ?? 0) + value)
  for (const line of record.lines ?? []) {
    // read by department and tenant (the report is a manager's); written in the owner's month item, which
    // the contract's other contributions move anyway
    const at = { ownerId: record.ownerId, deptId: record.deptId, day }
    add(reportCounter({ ...at, metric: productAmountMetric(line.productId) }), line.amount)
    add(
      reportCounter({ ...at, metric: productQuantityMetric(line.productId) }),
      Math.round(line.quantity * 100),
    )
  }
  return counts
}

/**
 * The report counters of 产品销售 moved by a contract's change from `before` to `after` (a deleted
 * contract counts nowhere), in the contract's own transaction.
 */
export function productSalesWrites(before: Sold | undefined, after: Sold): Write[] {
  const deltas = productSalesCounts(after)
  for (const [name, value] of productSalesCounts(before)) deltas.set(name, (deltas.get(name) ?? 0) - value)
  return [...deltas]
    .filter(([, delta]) => delta !== 0)
    .map(([name, delta]) => counterWrite(after.tenantId, { name, delta }))
}

/**
 * The lines and amount a write of an opportunity or contract leaves: lines sent are priced and give the
 * amount (an empty list removes them, and the amount is as sent); with no lines sent, a record that has
 * lines keeps the amount they give (an amount sent alongside is theirs to set, not the caller's).
 */
export async function linesChange(
  session: Session,
  sent: { lines?: readonly LineInput[] },
  current?: { lines?: Line[]; amount: number },
): Promise<{ lines?: Line[]; amount?: number }> {
  if (sent.lines === undefined) return current?.lines?.length ? { amount: current.amount } : {}
  if (sent.lines.length === 0) return { lines: undefined }
  return priceLines(session, sent.lines, current?.lines)
}
