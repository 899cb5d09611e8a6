import { useCallback, useEffect, useState } from 'react'
import { Button, Modal, Toast } from 'dingtalk-design-mobile'
import { useNavigate, useParams } from 'react-router-dom'
import type { Customer } from '../../../shared/schemas/index.js'
import {
  mergeChoices,
  mergeConfirmText,
  mergeCustomChoices,
  mergeInput,
  mergeValueText as shown,
  type MergeChoosable as Choosable,
} from '../../../shared/view/index.js'
import { api } from '../api.js'
import { useNames } from '../names.js'
import { resources } from '../resources.js'
import { errorMessage } from '../components/hooks.js'
import { Page } from '../components/Page.js'
import { OptionSheet, type Option } from '../components/Sheet.js'
import { EmptyState, Loading } from '../components/Status.js'

/**
 * 客户合并 from a customer's detail: this customer stays; the customers picked here merge into it (their
 * contacts, follow-ups, deals... move over) and go to the recycle bin. For each field that differs, the
 * user picks whose value stays (this customer's by default).
 */
export default function Merge() {
  const { id = '' } = useParams()
  const navigate = useNavigate()
  const [target, setTarget] = useState<Customer | null | undefined>(undefined)
  const [sources, setSources] = useState<Customer[]>([])
  const [choices, setChoices] = useState<Partial<Record<Choosable, string>>>({})
  /** 自定义字段: custom key → the customer whose value stays */
  const [customChoices, setCustomChoices] = useState<Record<string, string>>({})
  const { names } = useNames()
  const [picking, setPicking] = useState(false)
  const [found, setFound] = useState<Customer[] | undefined>(undefined)
  const [q, setQ] = useState('')
  const [merging, setMerging] = useState(false)

  useEffect(() => {
    api.customers.get(id).then(setTarget, (error: unknown) => {
      setTarget(null)
      Toast.fail({ content: errorMessage(error) })
    })
  }, [id])

  const search = useCallback(async () => {
    const page = await api.customers.list({ q: q || undefined, limit: 50 })
    setFound(page.items.filter((c) => c.id !== id))
  }, [q, id])
  useEffect(() => {
    if (picking) search().catch(() => setFound([]))
  }, [picking, search])

  if (target === undefined)
    return (
      <Page title="客户合并" narrow>
        <Loading />
      </Page>
    )
  if (target === null)
    return (
      <Page title="客户合并" narrow>
        <EmptyState title="客户不存在或已删除" />
      </Page>
    )

  const options: Option[] | undefined = found?.map((c) => ({
    value: c.id,
    label: c.name,
    brief: [shown(c, 'category'), c.phone, c.address].filter(Boolean).join(' · '),
  }))
  // the built-in fields, then the tenant's custom ones (字段管理), that differ: shared/view/merge.ts
  const rows = [
    ...mergeChoices(target, sources).map(({ field, label, options }) => ({
      key: field as string,
      label,
      options,
      chosen: choices[field] ?? target.id,
      choose: (from: string) => setChoices((all) => ({ ...all, [field]: from })),
    })),
    ...mergeCustomChoices(target, sources, resources.customers.view.fields, names).map(
      ({ key, label, options }) => ({
        key: `custom.${key}`,
        label,
        options,
        chosen: customChoices[key] ?? target.id,
        choose: (from: string) => setCustomChoices((all) => ({ ...all, [key]: from })),
      }),
    ),
  ]

  const merge = () =>
    Modal.alert('确认合并客户', mergeConfirmText(target, sources), [
      { text: '取消' },
      {
        text: '合并',
        onClick: async () => {
          setMerging(true)
          try {
            const result = await api.customers.merge(mergeInput(target, sources, choices, customChoices))
            Toast.success({ content: `已合并 ${result.mergedIds.length} 个客户` })
            navigate(`/customers/${target.id}`, { replace: true })
          } catch (error) {
            Toast.fail({ content: errorMessage(error) })
            setMerging(false)
          }
        },
      },
    ])

  return (
    <Page title="客户合并" narrow>
      <div className="tool-page">
        <section className="tool-section">
          <h3>保留的客户</h3>
          <div className="merge-target">
            <b>{target.name}</b>
            <span className="muted">
              {' '}
              {[shown(target, 'category'), target.phone].filter(Boolean).join(' · ')}
            </span>
          </div>
        </section>

        <section className="tool-section">
          <h3>要合并进来的客户</h3>
          {sources.length === 0 ? <p className="muted">请选择与上面重复的客户（可多选）</p> : null}
          {sources.map((s) => (
            <div key={s.id} className="merge-source">
              <span>
                {s.name} <span className="muted">{s.phone}</span>
              </span>
              <button
                type="button"
                className="link-button"
                aria-label={`移除${s.name}`}
                onClick={() => setSources((all) => all.filter((x) => x.id !== s.id))}
              >
                移除
              </button>
            </div>
          ))}
          <div className="tool-row">
            <Button size="small" onClick={() => setPicking(true)}>
              选择客户
            </Button>
          </div>
        </section>

        {sources.length && rows.length ? (
          <section className="tool-section">
            <h3>保留哪个值</h3>
            {rows.map((row) => (
              <div key={row.key} className="tool-row" role="group" aria-label={row.label}>
                <span className="filter-label">{row.label}</span>
                {row.options.map((o) => (
                  <button
                    type="button"
                    key={o.id}
                    className={row.chosen === o.id ? 'chip chip-on' : 'chip'}
                    onClick={() => row.choose(o.id)}
                  >
                    {o.text}
                  </button>
                ))}
              </div>
            ))}
          </section>
        ) : null}

        <Button type="danger" disabled={!sources.length || merging} loading={merging} onClick={merge}>
          合并
        </Button>
      </div>
      <OptionSheet
        title="选择要合并的客户"
        open={picking}
        onClose={() => setPicking(false)}
        options={options}
        multiple
        selected={sources.map((s) => s.id)}
        onSearch={setQ}
        onPick={(ids) => {
          const known = new Map([...sources, ...(found ?? [])].map((c) => [c.id, c]))
          setSources(
            ids
              .map((i) => known.get(i))
              .filter((c): c is Customer => Boolean(c))
              .slice(0, 10),
          )
        }}
      />
    </Page>
  )
}
