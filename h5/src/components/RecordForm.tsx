import { useEffect, useState } from 'react'
import { Button, Form, InputItem, Switch, TextareaItem, Toast } from 'dingtalk-design-mobile'
import { useNavigate, useParams } from 'react-router-dom'
import { checkForm, formValues, type FieldView } from '../../../shared/view/index.js'
import type { AnyRecord, Resource } from '../resources.js'
import { errorMessage } from './hooks.js'
import { Page } from './Page.js'
import { Loading } from './Status.js'

/** The input of a field; Form.Item injects `value` (or `checked`) and `onChange` into it. */
function Control({ field, ...injected }: { field: FieldView; [prop: string]: unknown }) {
  if (field.kind === 'boolean') return <Switch {...injected} />
  if (field.kind === 'textarea')
    return <TextareaItem {...injected} rows={3} autoHeight placeholder={field.placeholder} />
  return <InputItem {...injected} clear placeholder={field.placeholder} name={field.name} />
}

/**
 * Create (no `:id`) or edit a record. The values are checked with the collection's shared zod schema before
 * anything is sent; its Chinese messages are shown under the fields. Edits carry the version last seen.
 */
export function RecordForm({ resource }: { resource: Resource }) {
  const { view, client } = resource
  const { id } = useParams()
  const navigate = useNavigate()
  const [form] = Form.useForm()
  const [record, setRecord] = useState<AnyRecord | undefined>(undefined)
  const [saving, setSaving] = useState(false)
  const editing = id !== undefined

  useEffect(() => {
    if (!id) return
    client.get(id).then(setRecord, (error) => Toast.fail({ content: errorMessage(error) }))
  }, [client, id])

  const submit = async () => {
    const check = checkForm(view, form.getFieldsValue())
    form.setFields(
      view.fields.map((f) => ({
        name: f.name,
        errors: check.ok ? [] : check.errors[f.name] ? [check.errors[f.name]] : [],
      })),
    )
    if (!check.ok) return
    setSaving(true)
    try {
      const saved = record
        ? await client.update(record.id, { ...check.value, version: record.version })
        : await client.create(check.value)
      Toast.success({ content: '已保存' })
      navigate(`/${view.collection}/${saved.id}`, { replace: true })
    } catch (error) {
      // (on success the page is gone: no state to reset)
      setSaving(false)
      Toast.fail({ content: errorMessage(error) })
    }
  }

  const title = `${editing ? '编辑' : '新建'}${view.noun}`
  if (editing && !record)
    return (
      <Page title={title}>
        <Loading />
      </Page>
    )

  return (
    <Page title={title}>
      <Form form={form} initialValues={formValues(view, record)} className="record-form">
        {view.fields
          .filter((f) => !f.readOnly)
          .map((field) => (
            <Form.Item
              key={field.name}
              name={field.name}
              label={field.label}
              valuePropName={field.kind === 'boolean' ? 'checked' : 'value'}
              validateTrigger={[]}
              rules={field.required ? [{ required: true }] : undefined}
              className={`field-${field.name}`}
            >
              <Control field={field} />
            </Form.Item>
          ))}
      </Form>
      <div className="actions">
        <Button type="primary" loading={saving} onClick={submit}>
          保存
        </Button>
      </div>
    </Page>
  )
}
