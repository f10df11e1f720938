// Tests for processes: generators that wait on timeouts, events, resources and each other, fail, and are interrupted.
import { describe, expect, it } from "vitest";
import { Simulation } from "./simulation.js";
import { Interrupt, type ProcessGenerator } from "./process.js";
import { Resource } from "./resource.js";
import { SimError } from "./errors.js";

describe("Process", () => {
  it("waits on timeouts, given as events or as plain numbers of seconds", () => {
    const sim = new Simulation();
    const seen: number[] = [];
    sim.process(function* () {
      yield sim.timeout(1.5);
      seen.push(sim.now);
      yield 2;
      seen.push(sim.now);
      yield 0;
      seen.push(sim.now);
    });
    sim.run();
    expect(seen).toEqual([1.5, 3.5, 3.5]);
  });

  it("gets an awaited event's value back, typed, through yield*", () => {
    const sim = new Simulation();
    const ready = sim.event<number>("ready");
    let got = 0;
    sim.process(function* () {
      const v: number = yield* ready;
      got = v * 2;
    });
    sim.schedule(4, () => ready.succeed(21));
    sim.run();
    expect(got).toBe(42);
    expect(sim.now).toBe(4);
  });

  it("lets several processes wait on one event; all resume, in the order they began to wait", () => {
    const sim = new Simulation();
    const gate = sim.event<string>("gate");
    const log: string[] = [];
    for (const name of ["a", "b", "c"]) {
      sim.process(function* () {
        const v = yield* gate;
        log.push(`${name}:${v}@${sim.now}`);
      });
    }
    sim.schedule(3, () => gate.succeed("open"));
    sim.run();
    expect(log).toEqual(["a:open@3", "b:open@3", "c:open@3"]);
  });

  it("waits on another process and receives its return value", () => {
    const sim = new Simulation();
    const child = sim.process(function* (): ProcessGenerator<string> {
      yield 5;
      return "child done";
    }, { name: "child" });
    let result = "";
    sim.process(function* () {
      result = `${yield* child} at ${sim.now}`;
    });
    sim.run();
    expect(result).toBe("child done at 5");
    expect(child.value).toBe("child done");
    expect(child.isAlive).toBe(false);
  });

  it("continues at once when it yields an event that was already processed", () => {
    const sim = new Simulation();
    const early = sim.timeout(1, { value: "early" });
    const got: string[] = [];
    sim.process(function* () {
      yield 2;
      got.push(`${yield* early}@${sim.now}`);
    });
    sim.run();
    expect(got).toEqual(["early@2"]);
  });

  it("queues on a resource and holds it while working", () => {
    const sim = new Simulation();
    const cpu = new Resource(sim, 1, { name: "cpu" });
    const log: string[] = [];
    const job = (name: string, work: number) =>
      sim.process(function* () {
        const req = cpu.request();
        yield req;
        log.push(`${name} starts@${sim.now}`);
        yield work;
        cpu.release(req);
        log.push(`${name} ends@${sim.now}`);
      });
    job("a", 2);
    job("b", 3);
    sim.run();
    expect(log).toEqual(["a starts@0", "a ends@2", "b starts@2", "b ends@5"]);
  });

  it("starts a process before ordinary events due at the same instant", () => {
    const sim = new Simulation();
    const log: string[] = [];
    sim.schedule(0, () => log.push("callback"));
    sim.process(function* () {
      log.push("process");
      yield 0;
    });
    sim.run();
    expect(log).toEqual(["process", "callback"]);
  });

  it("sees a failed event's error thrown at its yield, and can catch it", () => {
    const sim = new Simulation();
    const ev = sim.event("disk");
    let caught = "";
    sim.process(function* () {
      try {
        yield ev;
      } catch (e) {
        caught = (e as Error).message;
      }
    });
    sim.schedule(1, () => ev.fail(new Error("disk full")));
    sim.run();
    expect(caught).toBe("disk full");
  });

  it("fails with the error its generator throws, and the failure reaches whoever waits on it", () => {
    const sim = new Simulation();
    const bad = sim.process(function* () {
      yield 1;
      throw new Error("boom");
    });
    let seen = "";
    sim.process(function* () {
      try {
        yield bad;
      } catch (e) {
        seen = `${(e as Error).message}@${sim.now}`;
      }
    });
    sim.run();
    expect(seen).toBe("boom@1");
    expect(bad.ok).toBe(false);
  });

  it("makes run() throw a failure nobody waits on, so it is never lost", () => {
    const sim = new Simulation();
    sim.process(function* () {
      yield 1;
      throw new Error("unhandled");
    });
    expect(() => sim.run()).toThrow("unhandled");
  });

  it("throws SIM_BAD_YIELD into a process that yields something that is not an event or a delay", () => {
    const sim = new Simulation();
    let code = "";
    sim.process(function* () {
      try {
        yield "soon" as unknown as number;
      } catch (e) {
        code = (e as SimError).code;
      }
    });
    sim.run();
    expect(code).toBe("SIM_BAD_YIELD");
  });

  it("throws SIM_FOREIGN_EVENT for an event of another simulation and SIM_BAD_DELAY for a negative delay", () => {
    const sim = new Simulation();
    const other = new Simulation();
    const codes: string[] = [];
    sim.process(function* () {
      for (const y of [other.timeout(1), -1]) {
        try {
          yield y;
        } catch (e) {
          codes.push((e as SimError).code);
        }
      }
    });
    sim.run();
    expect(codes).toEqual(["SIM_FOREIGN_EVENT", "SIM_BAD_DELAY"]);
  });

  it("takes its name from the generator function, or from the options", () => {
    const sim = new Simulation();
    expect(sim.process(function* loader() { yield 1; }).name).toBe("loader");
    expect(sim.process(function* () { yield 1; }, { name: "worker-3" }).name).toBe("worker-3");
  });
});

describe("Process.interrupt", () => {
  it("throws an Interrupt carrying the cause at the current yield; the abandoned timeout no longer wakes it", () => {
    const sim = new Simulation();
    const log: string[] = [];
    const sleeper = sim.process(function* () {
      try {
        yield 10;
        log.push("slept");
      } catch (e) {
        if (!(e instanceof Interrupt)) throw e;
        log.push(`interrupted@${sim.now}:${String(e.cause)}`);
      }
      yield 1;
      log.push(`after@${sim.now}`);
    }, { name: "sleeper" });
    sim.schedule(3, () => sleeper.interrupt("oom"));
    sim.run();
    expect(log).toEqual(["interrupted@3:oom", "after@4"]);
  });

  it("fails an interrupted process that does not catch it with SIM_INTERRUPTED", () => {
    const sim = new Simulation();
    const p = sim.process(function* () { yield 10; }, { name: "victim" });
    let seen = "";
    sim.process(function* () {
      yield 1;
      p.interrupt("killed");
      try {
        yield p;
      } catch (e) {
        seen = `${(e as SimError).code}: ${(e as Error).message}`;
      }
    });
    sim.run();
    expect(seen).toBe("SIM_INTERRUPTED: process 'victim' was interrupted at t=1 (killed)");
    expect(p.ok).toBe(false);
  });

  it("refuses to interrupt a finished process", () => {
    const sim = new Simulation();
    const p = sim.process(function* () { yield 1; });
    sim.run();
    expect(() => p.interrupt()).toThrow(expect.objectContaining({ code: "SIM_NOT_ALIVE" }));
  });
});

describe("Simulation.activeProcess", () => {
  it("names the process whose generator is running, and is null in plain callbacks", () => {
    const sim = new Simulation();
    const seen: (string | null)[] = [];
    const p = sim.process(function* () {
      seen.push(sim.activeProcess?.name ?? null);
      yield 1;
      seen.push(sim.activeProcess === p ? "same" : "other");
    }, { name: "p" });
    sim.schedule(0.5, () => seen.push(sim.activeProcess?.name ?? null));
    sim.run();
    expect(seen).toEqual(["p", null, "same"]);
  });
});
