/**
 * GPT model config: field names as in nanoGPT's GPTConfig (n_layer, n_head,
 * n_embd, block_size, vocab_size, bias), plus `activation` and `position`.
 * nanoGPT's MLP width is fixed at 4 * n_embd and so is ours; nanoGPT has
 * dropout, we do not (runs are tiny and dropout would need its own seeded stream).
 *
 * position:
 *  - "learned": absolute position table `transformer.wpe.weight` (nanoGPT).
 *  - "rotary": rotary embeddings on q and k (RoFormer, Su et al. 2021), GPT-NeoX
 *    half-split layout, base `rope_base`; no wpe tensor.
 * random_position_offset (training only, learned positions): each training
 * sequence of length T starts at a random position in [0, block_size - T]
 * (Ruoss et al. 2023, "Randomized Positional Encodings"), so every row of wpe is
 * trained and longer problems are not a cliff. Inference always starts at 0.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { parseGptConfig } from "./config.ts";
 * const c = parseGptConfig({ vocab_size: 56, block_size: 64 });
 * assertEquals([c.n_layer, c.n_head, c.n_embd], [2, 4, 64]); // the defaults
 * ```
 */
import { z } from "zod";
import { parseConfig } from "../core/config.ts";

/** The config's fields and defaults (without cross-field rules; see GptConfigSchema). */
export const GptConfigFields = z.strictObject({
  vocab_size: z.number().int().min(2),
  block_size: z.number().int().min(2).max(4096),
  n_layer: z.number().int().min(1).max(48).default(2),
  n_head: z.number().int().min(1).default(4),
  n_embd: z.number().int().min(2).default(64),
  bias: z.boolean().default(true),
  activation: z.enum(["gelu", "gelu_tanh", "relu"]).default("gelu"),
  position: z.enum(["learned", "rotary"]).default("learned"),
  rope_base: z.number().positive().default(10000),
  random_position_offset: z.boolean().default(false),
});

type FieldsOut = z.output<typeof GptConfigFields>;

/** Cross-field rules, shared by every schema that embeds a model config. */
export function refineGptConfig(c: FieldsOut, ctx: z.RefinementCtx): void {
  if (c.n_embd % c.n_head !== 0) {
    ctx.addIssue({
      code: "custom",
      path: ["n_embd"],
      message: `n_embd ${c.n_embd} must be divisible by n_head ${c.n_head}`,
    });
  }
  if (c.position === "rotary" && (c.n_embd / c.n_head) % 2 !== 0) {
    ctx.addIssue({
      code: "custom",
      path: ["n_head"],
      message: `rotary needs an even head size; n_embd ${c.n_embd} / n_head ${c.n_head} is odd`,
    });
  }
  if (c.random_position_offset && c.position !== "learned") {
    ctx.addIssue({
      code: "custom",
      path: ["random_position_offset"],
      message: `random_position_offset applies to learned positions only (position is "${c.position}")`,
    });
  }
}

/** Full model config schema: fields plus cross-field rules. */
export const GptConfigSchema = GptConfigFields.superRefine(refineGptConfig);

export type GptConfig = z.output<typeof GptConfigSchema>;
export type GptConfigInput = z.input<typeof GptConfigSchema>;

/** Validate a model config (throws LabError naming bad fields). */
export function parseGptConfig(input: unknown, where = "model config"): GptConfig {
  return parseConfig(GptConfigSchema, input, where);
}

/** Hidden width of the MLP, as nanoGPT: 4 * n_embd. */
export function mlpWidth(c: GptConfig): number {
  return 4 * c.n_embd;
}
