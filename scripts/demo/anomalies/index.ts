/**
 * The labelled anomalies: two per detection rule (INTERFACE.md §4), in
 * different organisations and on different days, each clearly one thing.
 * Descriptions are what labels.json shows; entities are what a detector is
 * expected to name.
 *
 * One module per family of rules; the order of the calls below is the order
 * in which operators, terminals and residents are drawn, so it fixes the
 * generated data: keep it.
 */
import type { ScenarioBuilder } from "../scenarios";
import { addAccessAnomalies } from "./access";
import { addAuthorityAnomalies } from "./authority";
import { addHoursAnomalies } from "./hours";
import { addSearchAnomalies } from "./searches";
import { addSubjectAnomalies } from "./subjects";
import { addSystemAnomalies } from "./systems";
import { addVolumeAnomalies } from "./volumes";

export function addAnomalies(b: ScenarioBuilder): void {
  addHoursAnomalies(b);
  addSearchAnomalies(b);
  addSubjectAnomalies(b);
  addAccessAnomalies(b);
  addSystemAnomalies(b);
  addVolumeAnomalies(b);
  addAuthorityAnomalies(b);
}
