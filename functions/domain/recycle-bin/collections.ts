import type { Collection } from '../../db/collection.js'
import { Competitors, Products } from '../catalog/catalog.js'
import { Reminders } from '../reminders/record.js'
import { Contacts } from '../contacts/record.js'
import { FollowUps } from '../followups/record.js'
import { Customers } from '../customers/record.js'
import { Leads } from '../leads/record.js'
import { Contracts } from '../contracts/record.js'
import { Invoices } from '../invoices/record.js'
import { PaymentPlans } from '../payment-plans/record.js'
import { Payments } from '../payments/record.js'
import { Opportunities } from '../opportunities/record.js'
import { Targets } from '../targets/record.js'

/** Every collection whose records can go to the recycle bin, by their URL name. */
export const collections: Record<string, Collection> = Object.fromEntries(
  (
    [
      Products,
      Competitors,
      Reminders,
      Customers,
      Contacts,
      FollowUps,
      Leads,
      Opportunities,
      Contracts,
      PaymentPlans,
      Payments,
      Invoices,
      Targets,
    ] as unknown as Collection[]
  ).map((c) => [c.path, c]),
)
