import { useEffect, useState } from 'react'
import { Switch, Toast } from 'dingtalk-design-mobile'
import { DealSettings } from '../../../../shared/schemas/index.js'
import { api } from '../../api.js'
import { errorMessage } from '../../components/hooks.js'
import { Page } from '../../components/Page.js'
import { Loading } from '../../components/Status.js'
import { SaveBar, SettingRow } from './common.js'

/** 回款规则: whether a payment may go beyond the contract amount. */
export default function DealSettingsPage() {
  const [settings, setSettings] = useState<DealSettings | undefined>(undefined)
  const [saving, setSaving] = useState(false)

  useEffect(() => {
    api.dealSettings.get().then(setSettings, (error) => Toast.fail({ content: errorMessage(error) }))
  }, [])

  if (!settings)
    return (
      <Page title="回款规则">
        <Loading />
      </Page>
    )

  const save = async () => {
    setSaving(true)
    try {
      setSettings(await api.dealSettings.put(DealSettings.parse(settings)))
      Toast.success({ content: '回款规则已保存' })
    } catch (error) {
      Toast.fail({ content: errorMessage(error) })
    } finally {
      setSaving(false)
    }
  }

  return (
    <Page title="回款规则">
      <div className="settings-form">
        <SettingRow label="允许超额回款" hint="回款累计可超过合同金额">
          <Switch
            checked={settings.allowOverpayment}
            onChange={(on) => setSettings({ ...settings, allowOverpayment: on })}
          />
        </SettingRow>
      </div>
      <SaveBar saving={saving} onSave={save} />
    </Page>
  )
}
