import { Switch } from 'dingtalk-design-mobile'
import { PoolSettingsInput, type PoolSettings } from '../../../../shared/schemas/index.js'
import { customerCategoryLabels } from '../../../../shared/view/index.js'
import { api } from '../../api.js'
import { Page } from '../../components/Page.js'
import { Loading } from '../../components/Status.js'
import {
  NumberInput,
  numberOrNull,
  numberText,
  SaveBar,
  SettingRow,
  StaleBanner,
  useSettingsForm,
} from './common.js'

/** `none` = customers without a category */
const categories = [...Object.entries(customerCategoryLabels), ['none', '未分类客户']] as [
  keyof PoolSettings['recycle'],
  string,
][]
type Category = keyof PoolSettings['recycle']

const NUMBERS = ['dailyClaimLimit', 'holdingCap', 'cooldownDays', 'warnDays'] as const
const SWITCHES = [
  'holdingCapExcludesWon',
  'uniqueCustomerNames',
  'maskPoolPhones',
  'exemptOpenOpportunity',
] as const
type NumberName = (typeof NUMBERS)[number]
type SwitchName = (typeof SWITCHES)[number]

/** The form: number inputs as text, switches as booleans, the recycle rules per category. */
interface Form {
  numbers: Record<NumberName, string>
  switches: Record<SwitchName, boolean>
  recycle: Record<Category, { noFollowUpDays: string; noWonDays: string }>
  version: number
}

const toForm = (saved: PoolSettings & { version: number }): Form => ({
  numbers: Object.fromEntries(NUMBERS.map((n) => [n, numberText(saved[n])])) as Form['numbers'],
  switches: Object.fromEntries(SWITCHES.map((n) => [n, saved[n]])) as Form['switches'],
  recycle: Object.fromEntries(
    categories.map(([c]) => [
      c,
      {
        noFollowUpDays: numberText(saved.recycle[c]?.noFollowUpDays),
        noWonDays: numberText(saved.recycle[c]?.noWonDays),
      },
    ]),
  ) as Form['recycle'],
  version: saved.version,
})

/** What the form sends, before the schema checks it. */
const toWire = (form: Form) => ({
  ...Object.fromEntries(NUMBERS.map((n) => [n, numberOrNull(form.numbers[n])])),
  ...form.switches,
  recycle: Object.fromEntries(
    categories.map(([c]) => [
      c,
      {
        noFollowUpDays: numberOrNull(form.recycle[c].noFollowUpDays),
        noWonDays: numberOrNull(form.recycle[c].noWonDays),
      },
    ]),
  ),
  version: form.version,
})

const numberRows: { name: NumberName; label: string; unit: string; hint?: string; placeholder?: string }[] = [
  { name: 'dailyClaimLimit', label: '每日领取上限', unit: '个/人', placeholder: '不限' },
  { name: 'holdingCap', label: '持有客户上限', unit: '个/人', placeholder: '不限' },
  { name: 'cooldownDays', label: '退回后冷却期', unit: '天', hint: '原负责人在此期间不能再领取' },
  { name: 'warnDays', label: '回收前提醒', unit: '天', hint: '0 表示不提醒' },
]
const switchRows: { name: SwitchName; label: string; hint?: string }[] = [
  { name: 'holdingCapExcludesWon', label: '已成交客户不计入持有上限' },
  { name: 'exemptOpenOpportunity', label: '有进行中商机的客户不自动回收' },
  { name: 'maskPoolPhones', label: '公海客户电话脱敏', hint: '成员领取前只能看到 138****5678' },
  { name: 'uniqueCustomerNames', label: '客户名称不可重复' },
]

/** 公海规则: limits, cooldown, auto-recycle per category, warning days, exemptions and phone masking. */
export default function PoolSettingsPage() {
  const settings = useSettingsForm(async () => toForm(await api.poolSettings.get()), '公海规则已保存')
  const { value: form, setValue: setForm, errors, saving, stale, load } = settings

  if (!form)
    return (
      <Page title="公海规则" narrow>
        <Loading />
      </Page>
    )

  const setNumber = (name: NumberName, text: string) =>
    setForm({ ...form, numbers: { ...form.numbers, [name]: text } })
  const setRecycle = (c: Category, name: 'noFollowUpDays' | 'noWonDays', text: string) =>
    setForm({ ...form, recycle: { ...form.recycle, [c]: { ...form.recycle[c], [name]: text } } })

  const save = () =>
    settings.save(PoolSettingsInput, toWire(form), async (input) => toForm(await api.poolSettings.put(input)))

  return (
    <Page title="公海规则" narrow>
      {stale ? <StaleBanner onReload={load} /> : null}
      <form
        className="settings-form pool-settings"
        onSubmit={(e) => {
          e.preventDefault()
          void save()
        }}
      >
        <h4 className="settings-section">领取与持有</h4>
        {numberRows.map((row) => (
          <SettingRow key={row.name} label={row.label} hint={row.hint} error={errors[row.name]}>
            <NumberInput
              name={row.name}
              value={form.numbers[row.name]}
              onChange={(text) => setNumber(row.name, text)}
              unit={row.unit}
              placeholder={row.placeholder ?? '0'}
              min={0}
            />
          </SettingRow>
        ))}
        {switchRows.map((row) => (
          <SettingRow key={row.name} label={row.label} hint={row.hint}>
            <Switch
              checked={form.switches[row.name]}
              onChange={(on) => setForm({ ...form, switches: { ...form.switches, [row.name]: on } })}
            />
          </SettingRow>
        ))}

        <h4 className="settings-section">自动回收（留空表示不回收）</h4>
        <table className="recycle-table">
          <thead>
            <tr>
              <th>客户分类</th>
              <th>未跟进天数</th>
              <th>未成交天数</th>
            </tr>
          </thead>
          <tbody>
            {categories.map(([c, label]) => (
              <tr key={c} data-category={c}>
                <th scope="row">{label}</th>
                {(['noFollowUpDays', 'noWonDays'] as const).map((name) => (
                  <td key={name}>
                    <NumberInput
                      name={`recycle.${c}.${name}`}
                      value={form.recycle[c][name]}
                      onChange={(text) => setRecycle(c, name, text)}
                      placeholder="不回收"
                      min={1}
                    />
                    {errors[`recycle.${c}.${name}`] ? (
                      <div className="form-error">{errors[`recycle.${c}.${name}`]}</div>
                    ) : null}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </form>
      <SaveBar saving={saving} onSave={save} />
    </Page>
  )
}
