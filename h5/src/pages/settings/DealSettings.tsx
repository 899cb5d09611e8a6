import { Switch } from 'dingtalk-design-mobile'
import { DealSettingsInput } from '../../../../shared/schemas/index.js'
import { api } from '../../api.js'
import { Page } from '../../components/Page.js'
import { Loading } from '../../components/Status.js'
import { SaveBar, SettingRow, StaleBanner, useSettingsForm } from './common.js'

/**
 * 回款规则: whether a payment may go beyond the contract amount. The save sends the version it loaded;
 * a save over someone else's newer one answers 409 and shows the 重新加载 banner.
 */
export default function DealSettingsPage() {
  const settings = useSettingsForm(() => api.dealSettings.get(), '回款规则已保存')
  const { value: form, setValue: setForm, saving, stale, load } = settings

  if (!form)
    return (
      <Page title="回款规则" narrow>
        <Loading />
      </Page>
    )

  const save = () => settings.save(DealSettingsInput, form, (input) => api.dealSettings.put(input))

  return (
    <Page title="回款规则" narrow>
      {stale ? <StaleBanner onReload={load} /> : null}
      <div className="settings-form">
        <SettingRow label="允许超额回款" hint="回款累计可超过合同金额">
          <Switch
            checked={form.allowOverpayment}
            onChange={(on) => setForm({ ...form, allowOverpayment: on })}
          />
        </SettingRow>
      </div>
      <SaveBar saving={saving} onSave={save} />
    </Page>
  )
}
