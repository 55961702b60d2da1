import { ShopsyncError } from './shopsync-error.js';

/** The lease being acknowledged or released is unknown or has expired (its items went back to the queue). */
export class LeaseLostError extends ShopsyncError {
  override name = 'LeaseLostError';
  readonly leaseId: string;
  constructor(leaseId: string) {
    super('lease_lost', `Lease ${leaseId} is unknown or has expired; its items are back in the queue.`);
    this.leaseId = leaseId;
  }
}
