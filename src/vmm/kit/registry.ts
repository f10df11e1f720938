// A handler registry with a loud default: handlers by name, and asking for one that is not there stops the run naming the event that needed it.
//
// Monitors look handlers up by what happened — the trapped instruction's slot (`cli`, `popf`), the exit's
// kind (`io`, `hlt`), later a port or a VT-x exit reason — never falling back to a silent default (v86's
// io.js registers its port handlers the same way).
import { StopSignal, noHandler } from "./stop-signal.js";

export class HandlerRegistry<Name extends string, Handler> {
  /**
   * `table` holds the handlers by name, as written (a student's object of functions, a monitor's own
   * table); they are called with `this` bound to it. Anything there that is not a function counts as missing.
   */
  constructor(readonly table: Readonly<Partial<Record<Name, unknown>>>) {}

  /** Is there a handler for `name`? */
  has(name: Name): boolean {
    return typeof this.table[name] === "function";
  }

  /**
   * The handler for `name`; with none, the run stops with a no-handler verdict naming `event` (`POPF at
   * 0x00001234`). The event may be given as a function that says it, called only then: a monitor looks a
   * handler up at every exit, and the words cost about a microsecond each in a short run.
   */
  lookup(name: Name, event: string | (() => string), pc: number): Handler {
    const handler = this.table[name];
    if (typeof handler !== "function") throw new StopSignal(noHandler(name, typeof event === "function" ? event() : event, pc));
    return handler as Handler;
  }
}
