/**
 * Synthetic residents: only 11-digit 住民票コード, drawn at random per
 * municipality (real codes are random too). No names, addresses or birth
 * dates exist anywhere in the demo data.
 */
import type { DemoOrganization } from "./registry";
import { Rng, rngFor, WeightedPicker } from "./random";

/**
 * Residents per municipality at scale 1: one code per this many inhabitants.
 * Pools grow linearly with the traffic scale: a prefecture with ten times the
 * traffic has ten times the residents, each looked up as often as before
 * (a pool growing more slowly would make every resident busier with scale and
 * turn per-resident coincidences into a property of the generator).
 */
const INHABITANTS_PER_CODE = 20;
const MIN_POOL = 150;

export class ResidentPools {
  private readonly pools = new Map<string, string[]>();
  private readonly used = new Set<string>();
  private readonly byPopulation: WeightedPicker<string>;
  private readonly reserveRng: Rng;

  constructor(seed: number, scale: number, municipalities: DemoOrganization[]) {
    const factor = scale;
    for (const m of municipalities) {
      const rng = rngFor(seed, "residents", m.code);
      const size = Math.max(MIN_POOL, Math.round((m.population / INHABITANTS_PER_CODE) * factor));
      const pool: string[] = [];
      while (pool.length < size) {
        const code = this.freshCode(rng);
        pool.push(code);
      }
      this.pools.set(m.code, pool);
    }
    this.byPopulation = new WeightedPicker(
      municipalities.map((m) => m.code),
      municipalities.map((m) => m.population),
    );
    this.reserveRng = rngFor(seed, "residents", "reserved");
  }

  private freshCode(rng: Rng): string {
    for (;;) {
      const code = String(1 + rng.int(9)) + rng.digits(10);
      if (!this.used.has(code)) {
        this.used.add(code);
        return code;
      }
    }
  }

  /** A random resident of the municipality. */
  local(rng: Rng, municipality: string): string {
    return rng.pick(this.pools.get(municipality)!);
  }

  /** A random resident anywhere in the prefecture, municipalities weighted by population. */
  anywhere(rng: Rng): string {
    return this.local(rng, this.byPopulation.pick(rng));
  }

  /** A random municipality code weighted by population. */
  municipality(rng: Rng): string {
    return this.byPopulation.pick(rng);
  }

  /** Someone from outside the prefecture (moving in): a code not in any pool. */
  outsider(rng: Rng): string {
    return String(1 + rng.int(9)) + rng.digits(10);
  }

  /**
   * A resident kept out of the random pools, so that only the labelled demo
   * scenarios concern them (the demo subject, repeat-access targets …).
   */
  reserve(): string {
    return this.freshCode(this.reserveRng);
  }

  /** True when the code belongs to a pooled resident (used for search result counts). */
  exists(code: string): boolean {
    return this.used.has(code);
  }

  poolSize(municipality: string): number {
    return this.pools.get(municipality)?.length ?? 0;
  }
}
