import { defineComponent } from '../../host.js'
import { recordFormDefaults } from './props.js'

type FieldEvent<V> = {
  currentTarget: { dataset: { name: string; index?: number } }
  detail: { value: V }
}

/**
 * The controls of any module's form, one per shared field view; the page owns the values. Rows that
 * open a picker (dates, users, records, location) hand the tap to the page, which knows the context.
 */
defineComponent({
  props: recordFormDefaults,
  data: {},
  methods: {
    onInput(event: FieldEvent<string>) {
      this.props.onChange(event.currentTarget.dataset.name, event.detail.value)
    },
    onSwitch(event: FieldEvent<boolean>) {
      this.props.onChange(event.currentTarget.dataset.name, event.detail.value)
    },
    onPick(event: FieldEvent<number>) {
      const { name } = event.currentTarget.dataset
      const field = this.props.fields.find((f) => f.name === name)
      const value = field?.optionValues[Number(event.detail.value)]
      if (value !== undefined) this.props.onChange(name, value)
    },
    onMonthInput(event: FieldEvent<string>) {
      const { name, index } = event.currentTarget.dataset
      const field = this.props.fields.find((f) => f.name === name)
      if (!field || !Array.isArray(field.value)) return
      const months = field.value.map((m, i) => (i === Number(index) ? event.detail.value : m))
      this.props.onChange(name, months)
    },
    onTapRow(event: FieldEvent<never>) {
      this.props.onTapField(event.currentTarget.dataset.name)
    },
  },
})
