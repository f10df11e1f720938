// Virtual machine monitors: the kit they are built from, the native reference, trap-and-emulate with shadow paging, its instruction emulator, binary translation with its policy, and their results as data.
export * from "./types.js";
export { GuestPhysicalMemory } from "./guest-memory.js";
export {
  VirtualMachine, VirtualCpuState, HandlerRegistry, GuestFault, ShadowPaging, ShadowPageTables, shadowSpace, walkGuest, NO_PROGRESS_LIMIT,
  type ExitHandlers, type GuestAddressSpace, type VmSetup, type GuestSession, type SessionFactory, type GuestTranslation, type GuestPagingState,
} from "./kit/index.js";
export { NativeSession, runNative, nativeSession } from "./native.js";
export { TrapAndEmulateMonitor, runTrapAndEmulate, trapSession, HANDLER_FOR_FORM, MONITOR_FRAMES } from "./trap.js";
export { emulatingHandlers, emulateInstruction, emulateDelivery } from "./emulator.js";
export {
  BinaryTranslationMonitor, runBinaryTranslation, btSession, translatorSession, monitorTrapHandlers, referencePolicy, allCalloutPolicy,
  SENSITIVE_FORMS, INLINE_FORMS, TRANSLATIONS, TRANSLATOR_CALLOUTS, type BtCounters, type BtOptions,
} from "./bt.js";
export type { BinaryTranslator, KernelInstruction, Translation, TranslationPolicy } from "./bt-api.js";
