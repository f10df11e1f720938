// The monitor kit: what every monitor is built from — virtual CPU state, the VM shell, shadow paging, the handler registry, the capability, the session interface.
export { VirtualCpuState, type VirtualCpuSnapshot } from "./virtual-cpu-state.js";
export { VirtualMachine, NO_PROGRESS_LIMIT, pseudoInstruction, type ExitHandlers, type GuestAddressSpace, type VmSetup } from "./vm.js";
export { Capability, type Outcome, type VirtualCpuHost } from "./capability.js";
export { HandlerRegistry } from "./registry.js";
export { GuestFault } from "./guest-fault.js";
export { StopSignal, handlerError, noHandler, internalError } from "./stop-signal.js";
export { walkGuest, readGuest32, writeGuest32, type GuestTranslation, type GuestPagingState } from "./guest-paging.js";
export { ShadowPageTables, ShadowPaging, shadowSpace } from "./shadow-paging.js";
export { createCounters } from "./counters.js";
export { guestMemoryBytes, DEFAULT_GUEST_MEMORY, MAX_GUEST_MEMORY, type GuestSession, type SessionFactory } from "./session.js";
