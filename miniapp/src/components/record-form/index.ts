import { defineComponent } from '../../host.js'
import { recordFormDefaults } from './props.js'

type FieldEvent<V> = { currentTarget: { dataset: { name: string } }; detail: { value: V } }

/** The inputs of any module's form, one per field config; the page owns the values. */
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
  },
})
