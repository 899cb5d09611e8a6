import type * as z from 'zod'
import type { ProductsReport, ProductsReportQuery } from '../../../shared/schemas/index.js'
import type { Session } from '../../core/context.js'
import { listRecords } from '../../db/records.js'
import { Products, type ProductRecord } from '../catalog/catalog.js'
import { productAmountMetric, productQuantityMetric } from '../catalog/lines.js'
import { readStats, scopeSubjects, statName, sumOf } from '../stats/contributions.js'

/**
 * 产品销售: per product and month, the amount and quantity of the 产品明细 of contracts signed in the
 * year, in the caller's departments (an admin: the company). It reads the catalog (a Query a page) and
 * one counter per product × month × metric × department (BatchGetItem): its cost follows the catalog and
 * the organisation, never the number of contracts.
 */
export async function productsReport(
  session: Session,
  { year }: z.output<typeof ProductsReportQuery>,
): Promise<z.output<typeof ProductsReport>> {
  const products: ProductRecord[] = []
  let cursor: string | undefined
  do {
    const page = await listRecords(Products, session, { limit: 200, cursor })
    products.push(...page.items)
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  // product sales count by department and tenant only (catalog/lines.ts)
  const subjects = scopeSubjects(session).filter((s) => !s.startsWith('U#'))
  const months = Array.from({ length: 12 }, (_, i) => `${year}-${String(i + 1).padStart(2, '0')}`)
  const metrics = (id: string) => [productAmountMetric(id), productQuantityMetric(id)]
  const values = await readStats(
    session.tenantId,
    products.flatMap((p) =>
      subjects.flatMap((s) => months.flatMap((m) => metrics(p.id).map((metric) => statName(s, m, metric)))),
    ),
  )
  const rows = products.map((p) => {
    const monthly = months.map((month, i) => ({
      month: i + 1,
      amount: sumOf(values, subjects, [month], productAmountMetric(p.id)),
      quantity: sumOf(values, subjects, [month], productQuantityMetric(p.id)) / 100,
    }))
    return {
      productId: p.id,
      name: p.name,
      amount: monthly.reduce((sum, m) => sum + m.amount, 0),
      quantity: monthly.reduce((sum, m) => sum + Math.round(m.quantity * 100), 0) / 100,
      months: monthly,
    }
  })
  return { year, rows: rows.filter((r) => r.amount !== 0 || r.quantity !== 0) }
}
