import { useCallback, useEffect, useState } from 'react'
import { Button, List, Toast } from 'dingtalk-design-mobile'
import type { BinEntry } from '../../../shared/schemas/index.js'
import { collectionLabel, formatDateTime, listCount } from '../../../shared/view/index.js'
import { api } from '../api.js'
import { errorMessage } from '../components/hooks.js'
import { Page } from '../components/Page.js'
import { EmptyState, FailedState, Loading } from '../components/Status.js'

/** 回收站: deleted records, newest first, each with 恢复; loading, empty and failed told apart. */
export default function RecycleBin() {
  const [items, setItems] = useState<BinEntry[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [loaded, setLoaded] = useState(false)
  /** why the first page could not be read: shown with 重试, never as an empty bin */
  const [failed, setFailed] = useState<string | undefined>(undefined)

  const load = useCallback(async (from?: string) => {
    try {
      const page = await api.recycleBin.list({ limit: 20, cursor: from })
      setItems((current) => (from ? [...current, ...page.items] : page.items))
      setCursor(page.nextCursor)
      setFailed(undefined)
    } catch (error) {
      if (from) Toast.fail({ content: errorMessage(error) })
      else setFailed(errorMessage(error))
    } finally {
      setLoaded(true)
    }
  }, [])

  useEffect(() => {
    void load()
  }, [load])

  const retry = () => {
    setLoaded(false)
    setFailed(undefined)
    void load()
  }

  const restore = async (entry: BinEntry) => {
    try {
      await api.recycleBin.restore(entry.collection, entry.id)
      setItems((current) => current.filter((e) => e !== entry))
      Toast.success({ content: `已恢复「${entry.label}」` })
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    }
  }

  return (
    <Page title="回收站">
      {!loaded ? (
        <Loading />
      ) : failed ? (
        <FailedState message={failed} onRetry={retry} />
      ) : items.length === 0 ? (
        <EmptyState title="回收站是空的" desc="删除的记录会先放在这里，可以恢复" />
      ) : (
        <>
          <div className="list-count" role="status">
            {listCount({ loaded: items.length, more: cursor !== null })}
          </div>
          <List className="bin-list">
            {items.map((entry) => (
              <List.Item
                key={`${entry.collection}/${entry.id}`}
                brief={`${collectionLabel(entry.collection)} · 删除于 ${formatDateTime(entry.deletedAt)}`}
                extra={
                  <Button size="small" inline onClick={() => restore(entry)}>
                    恢复
                  </Button>
                }
              >
                {entry.label}
              </List.Item>
            ))}
          </List>
        </>
      )}
      {cursor ? (
        <div className="table-more">
          <Button size="small" onClick={() => load(cursor)}>
            加载更多
          </Button>
        </div>
      ) : null}
    </Page>
  )
}
