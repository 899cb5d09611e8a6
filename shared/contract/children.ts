import {
  Contact,
  CountedPage,
  ContactFilter,
  ContactInput,
  FollowUp,
  FollowUpFilter,
  FollowUpInput,
} from '../schemas/index.js'
import { crud } from './route.js'

/** 联系人 and 跟进: a customer's children; their customer does not change once created. */
export const contacts = crud('contacts', {
  record: Contact,
  input: ContactInput,
  patch: ContactInput.omit({ customerId: true }),
  filter: ContactFilter,
  // a customer's tab (`customerId`) answers its kept count on the first page, unfiltered
  page: CountedPage(Contact),
})

export const followUps = crud('followups', {
  record: FollowUp,
  input: FollowUpInput,
  patch: FollowUpInput.omit({ customerId: true }),
  filter: FollowUpFilter,
  page: CountedPage(FollowUp),
})
