import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NameStore, sortedAggregate, updatedAggregate, type Aggregate } from "../../src/codebase/index-cache.js";
import type { FileNames } from "../../src/codebase/code-index.js";

// An index updated from the last run's (old versions subtracted, new ones added) must be the index
// built from scratch: same names, same counts, same containers.

const name = fc.constantFrom("alpha", "beta", "gamma", "delta", "Ledger", "post", "record", "x", "y", "z");
const container = fc.record({
  name: fc.constantFrom("Ledger", "Cart", "alpha"),
  kind: fc.constantFrom("class", "interface", "object") as fc.Arbitrary<"class" | "interface" | "object">,
  members: fc.uniqueArray(name, { maxLength: 3 }),
  heritage: fc.uniqueArray(fc.constantFrom("Base", "Mixin"), { maxLength: 1 }),
});
const fileNames: fc.Arbitrary<FileNames> = fc.record({ identifiers: fc.uniqueArray(name, { maxLength: 6 }), containers: fc.array(container, { maxLength: 2 }) });

function built(entries: Map<string, FileNames>, keys: string[]): Aggregate {
  const store = new NameStore();
  for (const key of keys) store.put(key, entries.get(key)!);
  return sortedAggregate(store.aggregateOf(keys));
}

function normal(aggregate: Aggregate) {
  const containers = aggregate.containers.map((c) => JSON.stringify(c)).sort();
  return { names: aggregate.names, counts: aggregate.counts, containers };
}

describe("updatedAggregate", () => {
  it("equals the aggregate built from scratch, for any entries before and after", () => {
    fc.assert(
      fc.property(fc.array(fileNames, { minLength: 1, maxLength: 8 }), fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }), (files, membership) => {
        const entries = new Map(files.map((names, index) => [`k${index}`, names]));
        const keys = [...entries.keys()];
        const before = keys.filter((_, index) => membership[index]);
        const after = keys.filter((_, index) => membership[index + 8]);
        const removed = before.filter((key) => !after.includes(key)).map((key) => entries.get(key)!);
        const added = after.filter((key) => !before.includes(key)).map((key) => entries.get(key)!);
        const updated = updatedAggregate(built(entries, before), removed, added);
        expect(updated).not.toBeNull();
        expect(normal(updated!)).toEqual(normal(built(entries, after)));
      }),
      { numRuns: 300 },
    );
  });

  it("refuses to subtract what the base does not hold", () => {
    const base = built(new Map([["a", { identifiers: ["alpha"], containers: [] }]]), ["a"]);
    expect(updatedAggregate(base, [{ identifiers: ["beta"], containers: [] }], [])).toBeNull();
    expect(updatedAggregate(base, [{ identifiers: [], containers: [{ name: "Ledger", kind: "class", members: [], heritage: [] }] }], [])).toBeNull();
  });
});
