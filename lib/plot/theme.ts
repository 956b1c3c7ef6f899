/**
 * The lab's look for every figure: one colour-blind-safe categorical palette
 * (Okabe & Ito 2008, "Color Universal Design"), a perceptually uniform
 * sequential scheme for heatmaps (viridis), and shared sizes and fonts.
 * Charts take their colours from here so a series keeps its colour across
 * panels and notebooks.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { OKABE_ITO, seriesColor } from "./theme.ts";
 * assertEquals(seriesColor(0), OKABE_ITO[0]);
 * ```
 */

/** Okabe-Ito, reordered so the first colours differ most in lightness and hue; yellow is last (low contrast on white). */
export const OKABE_ITO: readonly string[] = [
  "#0072B2", // blue
  "#D55E00", // vermillion
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#E69F00", // orange
  "#56B4E9", // sky blue
  "#000000", // black
  "#F0E442", // yellow
];

/** Colour of the i-th series (wraps around after eight). */
export function seriesColor(i: number): string {
  return OKABE_ITO[((i % OKABE_ITO.length) + OKABE_ITO.length) % OKABE_ITO.length];
}

/** Sequential scheme for heatmaps: viridis reads in greyscale and for the common colour-vision deficiencies. */
export const SEQUENTIAL_SCHEME = "viridis";

/** Reference lines (chance level, start model): mid grey, dashed. */
export const REFERENCE_COLOR = "#777777";
export const REFERENCE_DASH = "4,3";

export const FONT_FAMILY = "DejaVu Sans, Helvetica, Arial, sans-serif";
export const FONT_SIZE = 12;

/** Default size of one panel, in px. */
export const PANEL_WIDTH = 560;
export const PANEL_HEIGHT = 320;
