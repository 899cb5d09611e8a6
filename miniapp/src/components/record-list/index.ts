import { defineComponent } from '../../host.js'
import { recordListDefaults } from './props.js'

/** Record rows (title, brief, extra) of any module; tapping one tells the page its id. */
defineComponent({
  props: recordListDefaults,
  data: {},
  methods: {
    onRowTap(event: { currentTarget: { dataset: { id: string } } }) {
      this.props.onItemTap(event.currentTarget.dataset.id)
    },
  },
})
