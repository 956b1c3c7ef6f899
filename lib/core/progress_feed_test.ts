import { assertEquals } from "@std/assert";
import { emitFeed, FeedReader, feedSink, PROGRESS_ENV } from "./progress_feed.ts";

Deno.test("FeedReader returns complete new lines only, skipping what is not an event", async () => {
  const path = await Deno.makeTempFile();
  try {
    const reader = new FeedReader(path);
    assertEquals(reader.read(), []);
    await Deno.writeTextFile(path, '{"ev":"cell","cell":1,"t":5}\nnot json\n{"ev":"cell","ce', {
      append: true,
    });
    assertEquals(reader.read(), [{ ev: "cell", cell: 1, t: 5 }]);
    await Deno.writeTextFile(path, 'll":2,"t":6}\n', { append: true });
    assertEquals(reader.read(), [{ ev: "cell", cell: 2, t: 6 }]);
    assertEquals(reader.read(), []);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("feedSink: first and last step always, at most one event per interval between", async () => {
  const path = await Deno.makeTempFile();
  try {
    const sink = feedSink("seed 0", { path, minIntervalS: 60 });
    for (let s = 1; s <= 500; s++) sink.update(s, 500, { loss: 1 });
    sink.done();
    const events = new FeedReader(path).read();
    assertEquals(events.map((e) => e.ev === "progress" ? [e.run, e.step, e.total] : e.ev), [
      ["seed 0", 1, 500],
      ["seed 0", 500, 500],
    ]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("without a feed file nothing is written; an unwritable feed does not throw", () => {
  const old = Deno.env.get(PROGRESS_ENV);
  try {
    Deno.env.delete(PROGRESS_ENV);
    emitFeed({ ev: "cell", cell: 0 }); // no file named: a no-op
    feedSink("x").update(1, 2);
    emitFeed({ ev: "cell", cell: 0 }, "/nonexistent-dir/feed.jsonl");
  } finally {
    if (old !== undefined) Deno.env.set(PROGRESS_ENV, old);
  }
});
