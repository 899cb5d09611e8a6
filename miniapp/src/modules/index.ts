import { moduleMiniPage, modules, type ModuleView } from '../../../shared/view/modules.js'

/**
 * The 工作台 grid: the shared list of modules (labels, icons, colours: one declaration for both apps)
 * with the page each opens here. A module without a page shows 即将上线.
 */
export interface HomeModule extends ModuleView {
  page?: string
}

export const homeModules: HomeModule[] = modules.map((m) => ({ ...m, page: moduleMiniPage(m.path) }))
