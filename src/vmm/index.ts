// Virtual machine monitors: the native reference, trap-and-emulate with shadow paging, its instruction emulator, and their results as data.
export * from "./types.js";
export { GuestPhysicalMemory } from "./guest-memory.js";
export { GuestFault, ShadowPageTables, walkGuest, shadowSpace, type GuestTranslation, type GuestPagingState } from "./shadow.js";
export { NativeSession, runNative } from "./native.js";
export { TrapAndEmulateMonitor, runTrapAndEmulate, HANDLER_FOR_FORM, MONITOR_FRAMES, NO_PROGRESS_LIMIT } from "./trap.js";
export { emulatingHandlers, emulateInstruction, emulateDelivery } from "./emulator.js";
