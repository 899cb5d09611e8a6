import { api, currentUser } from '../../api/session.js'
import { definePage, ddApi } from '../../host.js'
import { errorText } from '../../lib/errors.js'
import { homeModules } from '../../modules/index.js'

/** 工作台: who is signed in and the grid of modules (those without an API yet say 即将上线). */
definePage({
  data: {
    userName: '',
    error: '',
    modules: homeModules.map((m) => ({ ...m, soon: !m.page })),
  },
  async onLoad() {
    try {
      // opened straight from a card there is no session yet: /api/me logs in through the 401 retry
      const me = currentUser() ?? (await api().auth.me())
      this.setData({ userName: me.name, error: '' })
    } catch (error) {
      this.setData({ error: errorText(error) })
    }
  },
  onModuleTap(event: { currentTarget: { dataset: { key: string } } }) {
    const module = homeModules.find((m) => m.key === event.currentTarget.dataset.key)
    if (module?.page) ddApi().navigateTo({ url: module.page })
    else ddApi().showToast({ content: `${module?.title ?? '该模块'}即将上线`, type: 'none' })
  },
})
