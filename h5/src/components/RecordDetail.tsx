import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ComponentType } from 'react'
import { List, Toast } from 'dingtalk-design-mobile'
import { Link, useParams, useSearchParams } from 'react-router-dom'
import { ApiError } from '../../../shared/api/client.js'
import type { SocialCollection } from '../../../shared/contract/index.js'
import {
  valueOf,
  displayValue,
  listCount,
  mayCreate,
  metaFields,
  rowBrief,
  type RecordView,
  type TabView,
  type ViewCollection,
} from '../../../shared/view/index.js'
import type { RecordApproval } from '../../../shared/schemas/index.js'
import { approvalBadge } from '../../../shared/view/approvals.js'
import { rememberName, useNames } from '../names.js'
import { session } from '../session.js'
import { AttachmentList } from './Attachments.js'
import { detailHeaders, useRecordActions, type ActionProps } from '../records/actions.js'
import { resources, type AnyRecord, type Resource } from '../resources.js'
import { errorMessage, useWide } from './hooks.js'
import { LinesTable } from './Lines.js'
import { printItem } from '../records/print.js'
import { Page } from './Page.js'
import { RecordTable } from './RecordTable.js'
import { EmptyState, FailedState, Loading } from './Status.js'
import { Timeline } from './Timeline.js'

/**
 * Sections a collection's detail shows under its actions, each editing a field of its own (so that field
 * is not listed again with the others): a customer's 协助跟进人. Loaded with the first detail that has one.
 */
const detailSections: Partial<Record<string, { field: string; Section: ComponentType<ActionProps> }>> = {
  customers: { field: 'collaboratorIds', Section: lazy(() => import('../records/collaborators.js')) },
}

type ChildPage = { items: AnyRecord[]; nextCursor: string | null; total?: number | null }

/**
 * A child collection on a tab (客户's 跟进 / 商机 / 合同 / 联系人, 合同's 回款 / 发票 / 回款计划): a list on a
 * phone, on a PC the list pages' table (without the parent's column) with 共有 N 条记录 and 加载更多.
 */
function ChildList({ tab, parentId, back }: { tab: TabView; parentId: string; back: string }) {
  const child = resources[tab.key]
  const wide = useWide()
  const { names } = useNames()
  const [page, setPage] = useState<ChildPage | undefined>(undefined)
  const [failed, setFailed] = useState<string | undefined>(undefined)
  const [loadingMore, setLoadingMore] = useState(false)
  const fetchPage = useCallback(
    (cursor?: string) => child!.client.list({ limit: 50, [tab.childKey!]: parentId, cursor }),
    [child, tab.childKey, parentId],
  )
  const load = useCallback(() => {
    if (!child || !tab.childKey) return
    setFailed(undefined)
    setPage(undefined)
    fetchPage().then(setPage, (error: unknown) => setFailed(errorMessage(error)))
  }, [child, tab.childKey, fetchPage])
  useEffect(load, [load])
  if (!child || !tab.childKey) return null
  const { view } = child
  const returnTo = encodeURIComponent(`${back}?tab=${tab.key}`)
  const count = page
    ? listCount({ total: page.total, loaded: page.items.length, more: page.nextCursor !== null })
    : undefined
  const loadMore = () => {
    if (!page?.nextCursor) return
    setLoadingMore(true)
    fetchPage(page.nextCursor)
      .then(
        (next) => setPage({ ...next, items: [...page.items, ...next.items], total: page.total }),
        (error: unknown) => Toast.fail({ content: errorMessage(error) }),
      )
      .finally(() => setLoadingMore(false))
  }
  return (
    <div className="child-list">
      <div className="child-head">
        {/* a PC table says it in its footer */}
        <span className="muted">{wide ? null : count}</span>
        {mayCreate(view.collection as ViewCollection, session.user()?.role) ? (
          <Link
            className="btn btn-small btn-primary"
            to={`/${view.collection}/new?${tab.childKey}=${parentId}&returnTo=${returnTo}`}
          >
            新建{view.noun}
          </Link>
        ) : null}
      </div>
      {failed ? <FailedState message={failed} onRetry={load} /> : page === undefined ? <Loading /> : null}
      {page?.items.length === 0 ? <EmptyState title={`还没有${view.noun}`} /> : null}
      {page?.items.length && wide ? (
        <RecordTable
          view={view}
          items={page.items}
          without={tab.childKey}
          count={count}
          more={page.nextCursor ? { loading: loadingMore, onMore: loadMore } : undefined}
        />
      ) : (
        <List>
          {(page?.items ?? []).map((record) => (
            <Link key={record.id} to={`/${view.collection}/${record.id}`} className="child-link">
              <List.Item arrow="horizontal" brief={rowBrief(view, record, names, tab.childKey)}>
                {view.title(record)}
              </List.Item>
            </Link>
          ))}
        </List>
      )}
    </div>
  )
}

/**
 * A record: its collection's header (商机 stage steps, 合同 amounts), then tabs (客户: 客户信息 / 动态 /
 * 跟进 / 商机 / 合同 / 联系人) or its fields, then the business actions, 编辑 and 删除 (confirmed; goes to
 * the recycle bin).
 */
export function RecordDetail({ resource }: { resource: Resource }) {
  const { view, client } = resource
  const { id = '' } = useParams()
  const [record, setRecord] = useState<AnyRecord | null | undefined>(undefined)
  /** why the record could not be read (not a 404): shown with 重试, never as 记录不存在 */
  const [failed, setFailed] = useState<string | undefined>(undefined)
  /** the id of the record on screen: a failed reload of it is a toast, not a failed page */
  const shown = useRef<string | undefined>(undefined)

  const reload = useCallback(async () => {
    try {
      const found = await client.get(id)
      rememberName(view.collection, found.id, view.title(found))
      setRecord(found)
      setFailed(undefined)
      shown.current = id
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) setRecord(null)
      // a reload after an action keeps the record shown and says what failed
      else if (shown.current === id) Toast.fail({ content: errorMessage(error) })
      else setFailed(errorMessage(error))
    }
  }, [client, id, view])

  const retry = () => {
    setFailed(undefined)
    void reload()
  }

  useEffect(() => {
    setRecord(undefined)
    setFailed(undefined)
    void reload()
  }, [reload])

  if (failed)
    return (
      <Page title={`${view.noun}详情`}>
        <FailedState message={failed} onRetry={retry} />
      </Page>
    )
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

  return <RecordShown view={view} record={record} reload={reload} />
}

/** 审批中 / 已驳回 / 已撤回 beside a governed record's title, opening its approval. */
function ApprovalBadge({ record }: { record: AnyRecord }) {
  const approval = record.approval as RecordApproval | undefined
  const badge = approvalBadge(approval)
  if (!approval || !badge) return null
  return (
    <Link className={`approval-badge approval-${approval.status}`} to={`/approvals/${approval.id}`}>
      {badge}
    </Link>
  )
}

/** A loaded record: its header, its buttons (the shared actions), its tabs or fields. */
function RecordShown({
  view,
  record,
  reload,
}: {
  view: RecordView<AnyRecord>
  record: AnyRecord
  reload: () => Promise<void>
}) {
  const [params, setParams] = useSearchParams()
  const { names } = useNames()
  const tab = view.tabs?.find((t) => t.key === params.get('tab')) ?? view.tabs?.[0]
  const actions = useRecordActions(view.collection, record, reload, printItem(view.collection, record.id))
  const title = view.title(record)
  const Header = detailHeaders[view.collection]
  const back = `/${view.collection}/${record.id}`
  const section = detailSections[view.collection]
  const fields = (
    <>
      <List className="detail-fields">
        {[...view.fields.filter((f) => !f.hidden && f.name !== section?.field), ...metaFields].map((field) =>
          field.kind === 'attachments' ? (
            <List.Item
              key={field.name}
              className="detail-wide"
              wrap
              brief={<AttachmentList ids={(valueOf(record, field) as string[] | undefined) ?? []} />}
            >
              {field.label}
            </List.Item>
          ) : field.kind === 'textarea' ? (
            <List.Item
              key={field.name}
              className="detail-wide"
              wrap
              brief={displayValue(field, valueOf(record, field), names)}
            >
              {field.label}
            </List.Item>
          ) : (
            <List.Item key={field.name} extra={displayValue(field, valueOf(record, field), names)}>
              {field.label}
            </List.Item>
          ),
        )}
      </List>
      <LinesTable lines={record.lines as never} />
    </>
  )

  return (
    <Page title={`${view.noun}详情`}>
      <div className="detail">
        <h2 className="detail-title">
          {title}
          <ApprovalBadge record={record} />
        </h2>
        {view.brief ? <div className="detail-brief muted">{view.brief(record)}</div> : null}
        {Header ? (
          <Header record={record} title={title} reload={reload} perform={actions.perform} may={actions.may} />
        ) : null}
        <div className="actions action-bar">{actions.bar}</div>
        {section ? (
          <Suspense fallback={null}>
            <section.Section record={record} title={title} reload={reload} />
          </Suspense>
        ) : null}
        {view.tabs ? (
          <>
            <div className="tabs" role="tablist">
              {view.tabs.map((t) => (
                <button
                  type="button"
                  role="tab"
                  key={t.key}
                  aria-selected={t.key === tab?.key}
                  className={t.key === tab?.key ? 'tab tab-on' : 'tab'}
                  onClick={() =>
                    setParams(t.key === view.tabs?.[0].key ? {} : { tab: t.key }, { replace: true })
                  }
                >
                  {t.label}
                </button>
              ))}
            </div>
            {tab?.key === 'info' ? fields : null}
            {tab?.key === 'timeline' ? (
              <Timeline collection={view.collection as SocialCollection} id={record.id} />
            ) : null}
            {tab?.childKey ? <ChildList key={tab.key} tab={tab} parentId={record.id} back={back} /> : null}
          </>
        ) : (
          fields
        )}
      </div>
    </Page>
  )
}
