// Faults of the variant under check (not of the kernel it models): it yielded an event the machine
// cannot take, ran past its event budget, or threw. The CLI reports them in one line with exit 3.

export type FaultReason = 'bad-event' | 'budget' | 'threw';

export class VariantFault extends Error {
  override readonly name = 'VariantFault';
  constructor(
    readonly reason: FaultReason,
    message: string,
    /** index of the offending event in the run, when there is one */
    readonly eventIndex?: number,
    /** kernel call stack at the fault, outermost first */
    readonly stack_?: readonly string[],
  ) {
    super(message);
  }
}
