// The handler registry: handlers found by name and called on their own table, and a missing one stopping the run with a verdict that names the event.
import { describe, expect, it } from "vitest";
import { HandlerRegistry } from "./registry.js";
import { StopSignal } from "./stop-signal.js";

describe("the handler registry", () => {
  const table = { greeting: "hello", hello(this: { greeting: string }) { return this.greeting; }, broken: 42 };
  const registry = new HandlerRegistry<"hello" | "broken" | "absent", (this: unknown) => string>(table);

  it("finds a handler by name, to be called with its table as `this`", () => {
    expect(registry.has("hello")).toBe(true);
    expect(registry.lookup("hello", "HELLO at 0x0", 0).call(registry.table)).toBe("hello");
  });

  it("counts anything that is not a function as missing, and stops the run naming the slot and the event", () => {
    expect(registry.has("broken")).toBe(false);
    let signal: unknown;
    try {
      registry.lookup("absent", "POPF at 0x00001234", 0x1234);
    } catch (e) {
      signal = e;
    }
    expect(signal).toBeInstanceOf(StopSignal);
    expect(Object.isFrozen(signal)).toBe(true);
    expect((signal as StopSignal).stop).toEqual({
      kind: "no-handler", code: "VMM_NO_HANDLER", handler: "absent", event: "POPF at 0x00001234", pc: 0x1234,
      message: "no handler for 'absent' (POPF at 0x00001234)",
    });
    expect(() => registry.lookup("broken", "X at 0x0", 0)).toThrow(StopSignal);
  });

  it("says the event only when the handler is missing, when given a function that says it", () => {
    let said = 0;
    const say = () => (said++, "POPF at 0x00001234");
    expect(registry.lookup("hello", say, 0).call(registry.table)).toBe("hello");
    expect(said).toBe(0);
    expect(() => registry.lookup("absent", say, 0x1234)).toThrow(expect.objectContaining({ stop: expect.objectContaining({ event: "POPF at 0x00001234" }) }));
    expect(said).toBe(1);
  });
});
