/**
 * Series bookkeeping shared by the charts: the order of series names fixes
 * their colours, and the legend is built from the same order, so a plot and
 * its legend cannot disagree.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { seriesLegend, seriesOrder } from "./series.ts";
 * assertEquals(seriesOrder([{ series: "b" }, { series: "a" }, { series: "b" }]), ["b", "a"]);
 * assertEquals(seriesLegend(["b"])[0].label, "b");
 * ```
 */
import type { LegendEntry } from "../figure.ts";
import { seriesColor } from "../theme.ts";

/** Distinct series names in order of first appearance. */
export function seriesOrder(rows: readonly { series: string }[]): string[] {
  return [...new Set(rows.map((r) => r.series))];
}

/** Fixed colours for some series (e.g. an aggregate in black); the rest take the palette in order. */
export type ColorOverrides = Readonly<Record<string, string>>;

function colorsFor(order: readonly string[], fixed: ColorOverrides = {}): string[] {
  let i = 0;
  return order.map((s) => fixed[s] ?? seriesColor(i++));
}

/** Plot's colour scale for these series, in the lab's palette. */
export function seriesColorScale(order: readonly string[], fixed?: ColorOverrides) {
  return { type: "ordinal" as const, domain: [...order], range: colorsFor(order, fixed) };
}

/** Legend entries matching `seriesColorScale(order, fixed)`. */
export function seriesLegend(order: readonly string[], fixed?: ColorOverrides): LegendEntry[] {
  const colors = colorsFor(order, fixed);
  return order.map((label, i) => ({ label, color: colors[i] }));
}
