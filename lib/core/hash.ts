/**
 * Canonical JSON and SHA-256: the run cache's key is the hash of a config's
 * canonical form (object keys sorted, no whitespace, `undefined` dropped), so
 * two configs that mean the same thing hash the same.
 *
 * @example
 * ```ts
 * import { assertEquals } from "@std/assert";
 * import { canonicalJson, sha256Hex } from "./hash.ts";
 * assertEquals(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }), '{"a":[2,{"c":4,"d":3}],"b":1}');
 * assertEquals(await sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
 * ```
 */

/** Deterministic JSON: keys sorted at every level; rejects non-finite numbers. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value, "$"));
}

function sortDeep(v: unknown, path: string): unknown {
  if (typeof v === "number" && !Number.isFinite(v)) {
    throw new Error(`canonicalJson: non-finite number at ${path} (${v}); configs must be finite`);
  }
  if (Array.isArray(v)) return v.map((x, i) => sortDeep(x, `${path}[${i}]`));
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortDeep(x, `${path}.${k}`);
    }
    return out;
  }
  return v;
}

/** Hex SHA-256 of a string (UTF-8) or bytes. */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as BufferSource);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}
