// The hazards of a run: every one counted, the first MAX_HAZARDS of each kind kept in full, so
// that one kind cannot crowd out another.
import type { AccessClass } from '../events.ts';
import type { Hazard, HazardClass, HazardKind } from '../hazards.ts';
import { MAX_HAZARDS } from './constants.ts';

export class HazardLog {
  readonly list: Hazard[];
  count: number;
  private readonly kept: Record<HazardKind, number> = { 'read-after-streaming': 0, 'write-after-streaming': 0, unpublished: 0 };

  constructor(hazards: readonly Hazard[], count: number) {
    this.list = [...hazards];
    for (const h of hazards) this.kept[h.kind]++;
    this.count = count;
  }

  record(h: Hazard): void {
    this.count++;
    if (this.kept[h.kind] < MAX_HAZARDS) {
      this.kept[h.kind]++;
      this.list.push(h);
    }
  }
}

export function classOf(cls: AccessClass | undefined): HazardClass {
  return cls === 'folio' ? 'folio-alias' : cls === 'head-flags' ? 'head-flags' : 'plain';
}
