import type { Collection } from '../db/collection.js'
import { Competitors, Products } from './catalog.js'
import { Reminders } from './reminders.js'
import { Contacts, FollowUps } from './children.js'
import { Customers } from './customers.js'
import { Leads } from './leads.js'
import { Contracts, Invoices, PaymentPlans, Payments } from './contracts.js'
import { Opportunities } from './opportunities.js'
import { Targets } from './targets.js'

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
