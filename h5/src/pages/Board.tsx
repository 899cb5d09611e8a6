import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react'
import { Button, SearchBar, Toast } from 'dingtalk-design-mobile'
import { Link, useSearchParams } from 'react-router-dom'
import type { Opportunity } from '../../../shared/schemas/index.js'
import {
  boardColumns,
  columnSummary,
  formatDate,
  formatMoney,
  importanceLabels,
  loadColumn,
  moveCard,
  needsLostReason,
  type BoardColumn,
  type BoardFilter,
} from '../../../shared/view/index.js'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { Page } from '../components/Page.js'
import { UserSheet } from '../components/Pickers.js'
import { EmptyState, FailedState, Loading } from '../components/Status.js'
import { userName, useNames } from '../names.js'
import { askReason } from '../records/actions.js'

/** 商机看板: a column per stage; drag a card to another column to move its stage (推进). */
export default function Board() {
  const { directory } = useNames()
  const [params, setParams] = useSearchParams()
  const [columns, setColumns] = useState<BoardColumn[]>([])
  const [picking, setPicking] = useState(false)
  const [over, setOver] = useState<string | undefined>(undefined)
  const dragged = useRef<Opportunity | undefined>(undefined)
  const filterKey = params.toString()

  const filter = useCallback((): BoardFilter => {
    const search = new URLSearchParams(filterKey)
    const importance = search.get('importance')
    return {
      q: search.get('q') || undefined,
      ownerId: search.get('ownerId') || undefined,
      importance:
        importance && importance in importanceLabels ? (importance as BoardFilter['importance']) : undefined,
    }
  }, [filterKey])

  const loadAll = useCallback(async () => {
    if (!directory) return
    const empty = boardColumns(directory.stages)
    setColumns(empty)
    const loaded = await Promise.all(
      empty.map((column) =>
        loadColumn(api, column, filter()).catch((error: unknown) => ({
          ...column,
          loaded: true,
          failed: errorMessage(error),
        })),
      ),
    )
    setColumns(loaded)
  }, [directory, filter])

  useEffect(() => {
    void loadAll()
  }, [loadAll])

  const replace = (next: BoardColumn) =>
    setColumns((all) => all.map((c) => (c.stage.id === next.stage.id ? next : c)))

  const more = async (column: BoardColumn) => {
    try {
      replace(await loadColumn(api, column, filter(), column.cursor ?? undefined))
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }

  const drop = async (column: BoardColumn, event: DragEvent) => {
    event.preventDefault()
    setOver(undefined)
    const card = dragged.current
    dragged.current = undefined
    if (!card || card.stageId === column.stage.id) return
    let lostReason: string | undefined
    if (needsLostReason(column.stage, card)) {
      lostReason = await askReason('输单原因', `移到「${column.stage.name}」需要填写输单原因`)
      if (!lostReason) return
    }
    try {
      const moved = await api.opportunities.moveStage(card.id, { stageId: column.stage.id, lostReason })
      setColumns((all) => moveCard(all, moved))
      Toast.success({ content: `已推进到「${column.stage.name}」` })
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }

  const setParam = (name: string, value?: string) => {
    const next = new URLSearchParams(params)
    if (value) next.set(name, value)
    else next.delete(name)
    setParams(next, { replace: true })
  }
  const owner = params.get('ownerId')
  const importance = params.get('importance') ?? ''

  return (
    <Page title="商机看板" right={<Link to="/opportunities">列表</Link>}>
      <div className="list-toolbar board-toolbar">
        <SearchBar
          defaultValue={params.get('q') ?? ''}
          placeholder="搜索商机名称"
          onSubmit={(value) => setParam('q', value.trim() || undefined)}
          onClear={() => setParam('q')}
          onCancel={() => setParam('q')}
        />
        <div className="filter-row" role="group" aria-label="重要程度">
          <span className="filter-label">重要程度</span>
          {[['', '全部'], ...Object.entries(importanceLabels)].map(([value, label]) => (
            <button
              type="button"
              key={value}
              className={importance === value ? 'chip chip-on' : 'chip'}
              onClick={() => setParam('importance', value || undefined)}
            >
              {label}
            </button>
          ))}
          <button type="button" className={owner ? 'chip chip-on' : 'chip'} onClick={() => setPicking(true)}>
            负责人：{owner ? (userName(owner) ?? owner) : '全部'} ▾
          </button>
          {owner ? (
            <button
              type="button"
              className="chip-clear"
              aria-label="清除负责人"
              onClick={() => setParam('ownerId')}
            >
              ×
            </button>
          ) : null}
        </div>
      </div>
      {!directory ? (
        <Loading />
      ) : (
        <div className="board" aria-label="商机看板">
          {columns.map((column) => {
            const summary = columnSummary(column)
            return (
              <section
                key={column.stage.id}
                className={over === column.stage.id ? 'board-column board-over' : 'board-column'}
                data-stage={column.stage.name}
                aria-label={column.stage.name}
                onDragOver={(event) => {
                  event.preventDefault()
                  setOver(column.stage.id)
                }}
                onDragLeave={() => setOver(undefined)}
                onDrop={(event) => void drop(column, event)}
              >
                <header className={`board-head board-${column.stage.kind}`}>
                  <strong>{column.stage.name}</strong>
                  <span className="muted">{column.stage.probability}%</span>
                  <div className="board-sum">
                    <span className="board-count">{summary.count}</span>
                    <span className="board-amount">{summary.amount}</span>
                  </div>
                </header>
                {!column.loaded ? (
                  <Loading />
                ) : column.failed ? (
                  <FailedState
                    message={column.failed}
                    onRetry={() => void more({ ...column, items: [], cursor: null })}
                  />
                ) : column.items.length === 0 ? (
                  <EmptyState title="暂无商机" />
                ) : (
                  <ul className="board-cards">
                    {column.items.map((o) => (
                      <li
                        key={o.id}
                        className="board-card"
                        draggable
                        data-id={o.id}
                        onDragStart={(event) => {
                          dragged.current = o
                          event.dataTransfer.effectAllowed = 'move'
                          event.dataTransfer.setData('text/plain', o.id)
                        }}
                      >
                        <Link to={`/opportunities/${o.id}`}>{o.name}</Link>
                        <div className="board-money">{formatMoney(o.amount)}</div>
                        <div className="muted">
                          {[
                            userName(o.ownerId) ?? o.ownerId,
                            o.expectedCloseDate && `预计 ${formatDate(o.expectedCloseDate)}`,
                          ]
                            .filter(Boolean)
                            .join(' · ')}
                        </div>
                      </li>
                    ))}
                  </ul>
                )}
                {column.cursor ? (
                  <Button size="small" className="board-more" onClick={() => void more(column)}>
                    加载更多
                  </Button>
                ) : null}
              </section>
            )
          })}
        </div>
      )}
      <UserSheet
        title="按负责人筛选"
        open={picking}
        onClose={() => setPicking(false)}
        onPick={(id) => setParam('ownerId', id)}
      />
    </Page>
  )
}
