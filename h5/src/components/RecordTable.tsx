import type { ReactNode } from 'react'
import { Button } from 'dingtalk-design-mobile'
import { Link, useNavigate } from 'react-router-dom'
import {
  displayValue,
  fieldOf,
  valueOf,
  type FieldKind,
  type FieldView,
  type RecordView,
} from '../../../shared/view/index.js'
import type { RecordApproval } from '../../../shared/schemas/index.js'
import { approvalBadge } from '../../../shared/view/approvals.js'
import { useNames } from '../names.js'
import type { AnyRecord } from '../resources.js'

/** 审批中 / 已驳回 / 已撤回 after a governed record's name: it counts nowhere yet. */
export function ApprovalTag({ record }: { record: AnyRecord }) {
  const badge = approvalBadge(record.approval as RecordApproval | undefined)
  const status = (record.approval as RecordApproval | undefined)?.status
  return badge ? <span className={`approval-badge approval-${status}`}>{badge}</span> : null
}

/** Figures: right-aligned in their column and never cut short. */
const figures: readonly FieldKind[] = ['money', 'months', 'number']
const cellClass = (field: FieldView) => (figures.includes(field.kind) ? 'num' : undefined)

export interface RecordTableProps {
  view: RecordView<AnyRecord>
  items: AnyRecord[]
  /** a column left out: the record a detail's tab lists under (a customer's 商机 need not name it) */
  without?: string
  /** 共有 N 条记录, in the footer */
  count?: string
  /** 加载更多 in the footer, while a page is left */
  more?: { loading: boolean; onMore: () => void }
  /** row selection (a list's bulk toolbar): the ids ticked, and what ticking changes them to */
  selection?: { selected: string[]; onChange: (ids: string[]) => void }
  /** headers of the columns the API sorts by are buttons: the column sorted by, and a click on one */
  sort?: { by?: string; onSort: (name: string) => void }
  /** a row's own button (公海: 领取), in an 操作 column */
  rowAction?: (record: AnyRecord) => ReactNode
}

/**
 * A PC table of records (the lists from 1024 px, and a detail's tabs): the view's columns, the first one
 * the record's name linking to it, a click on a row opening it; figures right-aligned and whole; the
 * footer with 共有 N 条记录 and 加载更多.
 */
export function RecordTable({
  view,
  items,
  without,
  count,
  more,
  selection,
  sort,
  rowAction,
}: RecordTableProps) {
  const { names } = useNames()
  const navigate = useNavigate()
  const columns = view.columns
    .filter((name) => name !== without)
    .map((name) => fieldOf(view, name))
    .filter((f): f is FieldView => !!f)
  const path = (record: AnyRecord) => `/${view.collection}/${record.id}`
  const selected = selection?.selected ?? []
  const allSelected = items.length > 0 && items.every((r) => selected.includes(r.id))
  const toggle = (id: string) =>
    selection?.onChange(selected.includes(id) ? selected.filter((x) => x !== id) : [...selected, id])

  return (
    <div className="table-wrap">
      <table className="record-table">
        <thead>
          <tr>
            {selection ? (
              <th className="select-cell">
                <input
                  type="checkbox"
                  aria-label="全选"
                  checked={allSelected}
                  onChange={() => selection.onChange(allSelected ? [] : items.map((r) => r.id))}
                />
              </th>
            ) : null}
            {columns.map((field) =>
              sort && view.sorts?.includes(field.name) ? (
                <th
                  key={field.name}
                  aria-sort={sort.by === field.name ? 'descending' : 'none'}
                  className={['th-sort', cellClass(field)].filter(Boolean).join(' ')}
                >
                  <button
                    type="button"
                    title={`按${field.label}排序（新的在前）`}
                    onClick={() => sort.onSort(field.name)}
                  >
                    {field.label}
                  </button>
                </th>
              ) : (
                <th key={field.name} className={cellClass(field)}>
                  {field.label}
                </th>
              ),
            )}
            {rowAction ? <th>操作</th> : null}
          </tr>
        </thead>
        <tbody>
          {items.map((record) => (
            <tr key={record.id} onClick={() => navigate(path(record))}>
              {selection ? (
                <td className="select-cell" onClick={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    aria-label={`选择 ${view.title(record)}`}
                    checked={selected.includes(record.id)}
                    onChange={() => toggle(record.id)}
                  />
                </td>
              ) : null}
              {columns.map((field, i) => (
                <td key={field.name} className={cellClass(field)}>
                  {i === 0 ? (
                    <>
                      {/* the column's own value under its header (跟进时间, not the record's title) */}
                      <Link to={path(record)} onClick={(e) => e.stopPropagation()}>
                        {valueOf(record, field) == null
                          ? view.title(record)
                          : displayValue(field, valueOf(record, field), names)}
                      </Link>
                      <ApprovalTag record={record} />
                    </>
                  ) : (
                    displayValue(field, valueOf(record, field), names)
                  )}
                </td>
              ))}
              {rowAction ? (
                <td className="row-action" onClick={(e) => e.stopPropagation()}>
                  {rowAction(record)}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      <div className="table-foot">
        <span className="list-count" role="status">
          {count}
        </span>
        {more ? (
          <Button size="small" loading={more.loading} onClick={more.onMore}>
            加载更多
          </Button>
        ) : null}
      </div>
    </div>
  )
}
