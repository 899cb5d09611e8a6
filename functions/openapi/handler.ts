import { contract, routesOf } from '../../shared/contract/index.js'
import { openApiDocument } from '../http/openapi.js'
import { apiFunction } from '../api-function.js'
import { serve } from '../http/route.js'

let document: unknown

export const handler = apiFunction([
  serve(contract.openapi.document, async () => (document ??= openApiDocument(routesOf(contract)))),
])
