import { ShopsyncError } from './shopsync-error.js';

/** A status change the state machine does not allow (e.g. resuming a completed event). */
export class IllegalTransitionError extends ShopsyncError {
  override name = 'IllegalTransitionError';
  readonly from: string;
  readonly action: string;
  constructor(from: string, action: string) {
    super('illegal_transition', `A sync event in status "${from}" cannot take the action "${action}".`);
    this.from = from;
    this.action = action;
  }
}
