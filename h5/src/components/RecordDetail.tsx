import { useEffect, useState } from 'react'
import { Button, List, Modal, Toast } from 'dingtalk-design-mobile'
import { useNavigate, useParams } from 'react-router-dom'
import { displayValue, metaFields } from '../../../shared/view/index.js'
import type { AnyRecord, Resource } from '../resources.js'
import { errorMessage } from './hooks.js'
import { Page } from './Page.js'
import { Loading, EmptyState } from './Status.js'

/** A record's fields (the view's, then created/updated), with 编辑 and 删除 (confirmed; goes to the bin). */
export function RecordDetail({ resource }: { resource: Resource }) {
  const { view, client } = resource
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const [record, setRecord] = useState<AnyRecord | null | undefined>(undefined)

  useEffect(() => {
    let current = true
    client.get(id).then(
      (found) => current && setRecord(found),
      (error) => {
        if (!current) return
        setRecord(null)
        Toast.fail({ content: errorMessage(error) })
      },
    )
    return () => {
      current = false
    }
  }, [client, id])

  const confirmRemove = (target: AnyRecord) =>
    Modal.alert(`删除${view.noun}`, `确定删除「${view.title(target)}」吗？删除后可在回收站恢复。`, [
      { text: '取消' },
      {
        text: '删除',
        onClick: async () => {
          try {
            await client.remove(target.id)
            Toast.success({ content: '已删除，可在回收站恢复' })
            navigate(`/${view.collection}`, { replace: true })
          } catch (error) {
            Toast.fail({ content: errorMessage(error) })
          }
        },
      },
    ])

  if (record === undefined)
    return (
      <Page title={`${view.noun}详情`}>
        <Loading />
      </Page>
    )
  if (record === null)
    return (
      <Page title={`${view.noun}详情`}>
        <EmptyState title="记录不存在或已删除" />
      </Page>
    )

  return (
    <Page title={`${view.noun}详情`}>
      <div className="detail">
        <h2 className="detail-title">{view.title(record)}</h2>
        <List className="detail-fields">
          {[...view.fields, ...metaFields].map((field) =>
            field.kind === 'textarea' ? (
              <List.Item key={field.name} wrap brief={displayValue(field, record[field.name])}>
                {field.label}
              </List.Item>
            ) : (
              <List.Item key={field.name} extra={displayValue(field, record[field.name])}>
                {field.label}
              </List.Item>
            ),
          )}
        </List>
        <div className="actions">
          <Button type="primary" onClick={() => navigate(`/${view.collection}/${record.id}/edit`)}>
            编辑
          </Button>
          <Button type="danger" onClick={() => confirmRemove(record)}>
            删除
          </Button>
        </div>
      </div>
    </Page>
  )
}
