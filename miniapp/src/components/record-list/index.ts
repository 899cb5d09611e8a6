import { defineComponent } from '../../host.js'
import { recordListDefaults } from './props.js'

type RowEvent = { currentTarget: { dataset: { id: string } } }

/** Record rows (title, brief, extra) of any module; tapping one tells the page its id. */
defineComponent({
  props: recordListDefaults,
  data: {},
  methods: {
    onRowTap(event: RowEvent) {
      this.props.onItemTap(event.currentTarget.dataset.id)
    },
    onActionTap(event: RowEvent) {
      this.props.onAction(event.currentTarget.dataset.id)
    },
  },
})
