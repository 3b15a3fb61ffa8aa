// Bench figures for drain synthesis (docs/synthesis.md): wall and CPU time of `drains --synthesize`
// per variant and mode, at the CLI's bounds (SYNTH_BOUNDS), split by phase. Target: v5 under 10 s.
import { variantByName } from '../../model/kernel/variants/index.ts';
import { cSpecOf, isCSpec, loadCVariant } from '../cli/c-source.ts';
import { synthesizeC, synthesizeModes, synthesizeModesPooled } from '../synth/cli.ts';
import type { Mode } from '../synth/safety.ts';

export interface SynthFigure {
  readonly variant: string;
  readonly mode: Mode;
  /** 1: every sweep on the main thread; more: contract sweeps on the exhaustive worker pool */
  readonly workers: number;
  readonly placement: string;
  readonly configurations: number;
  readonly wallS: number;
  readonly cpuS: number;
  readonly phases: { readonly cost: number; readonly constraints: number; readonly verify: number };
}

/** A shipped variant by name, or a C file (`drains --synthesize --c FILE`, the diff included). */
export async function synthFigures(runs: readonly { variant: string; mode: Mode; workers?: number }[]): Promise<SynthFigure[]> {
  const out: SynthFigure[] = [];
  for (const { variant, mode, workers = 1 } of runs) {
    const spec = isCSpec(variant) ? cSpecOf({ c: variant })! : null;
    const cv = spec ? await loadCVariant(spec) : null; // compiled before the clock starts, as the CLI does
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const { main } = spec ? await synthesizeC(spec, cv!, mode, { workers })
      : workers > 1 ? await synthesizeModesPooled(variantByName(variant)!, variant, mode, { workers }) : synthesizeModes(variantByName(variant)!, mode);
    const wallS = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    out.push({
      variant, mode, workers,
      placement: main.status === 'ok' ? main.placement.map((i) => main.candidates[i]!.name).join(' + ') : 'none safe',
      configurations: main.scope.configurations, wallS, cpuS: (cpu.user + cpu.system) / 1e6,
      phases: { cost: main.ms.cost / 1000, constraints: main.ms.constraints / 1000, verify: main.ms.verify / 1000 },
    });
  }
  return out;
}
