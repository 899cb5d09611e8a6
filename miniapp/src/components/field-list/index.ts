import { defineComponent } from '../../host.js'
import { fieldListDefaults } from './props.js'

/** A record's fields as label / value rows (the detail pages). */
defineComponent({ props: fieldListDefaults, data: {}, methods: {} })
