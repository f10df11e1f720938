; guests/lib/macros.s — macros the bundled guests share: saving registers, IDT gates, counters, the console.
;
; Macros only (it emits no bytes by itself): include it at the top of a file, before the first call.
; Including it twice is harmless (a macro may be defined again with the same body). SET_GATE,
; INC_WORD and PUTC use the names of lib/machine.s (PORT_CHAR, GATE_BYTES), which a kernel includes too.
; Each macro says which registers it clobbers; none touches the flags unless it says so.

; SAVE r1, r2, …: push the registers in the order given.
.macro SAVE reg, more:vararg
    push \reg
  .ifnb \more
    SAVE \more
  .endif
.endm

; RESTORE r1, r2, …: pop the same list that SAVE pushed (in reverse, so the lists read alike).
.macro RESTORE reg, more:vararg
  .ifnb \more
    RESTORE \more
  .endif
    pop \reg
.endm

; SET_GATE idt, vector, handler, attributes: write one IDT gate in place. Clobbers r1, r2.
.macro SET_GATE idt, vector, handler, attributes
    mov r1, \idt + (\vector) * GATE_BYTES
    mov r2, \handler
    st [r1], r2
    mov r2, \attributes
    st [r1 + 4], r2
.endm

; INC_WORD address: add 1 to the word at address. Clobbers r1, r2 and the flags.
.macro INC_WORD address
    mov r1, \address
    ld r2, [r1]
    add r2, r2, 1
    st [r1], r2
.endm

; PUTC char: print one character (a number or 'c') on the console. Clobbers r1.
.macro PUTC char
    mov r1, \char
    out PORT_CHAR, r1
.endm

; POWER_OFF code: switch the machine off with an exit code (a number or a register). Clobbers r1.
.macro POWER_OFF code
    mov r1, \code
    out PORT_POWER, r1
.endm

; ZERO r1, r2, …: set each register to 0.
.macro ZERO reg, more:vararg
    mov \reg, 0
  .ifnb \more
    ZERO \more
  .endif
.endm

; TICK_ENTRY counter: the body of an interrupt handler that adds 1 to the word at counter and returns
; with IRET; it saves what it uses.
.macro TICK_ENTRY counter
    SAVE r1, r2
    INC_WORD \counter
    RESTORE r1, r2
    iret
.endm

; USER_FRAME pc, sp, flags: push the frame IRET pops to enter CPL 3 — from [sp] up: error slot, PC,
; CS (USER_CS), FLAGS, SP; the IRET is the caller's. Clobbers r1.
.macro USER_FRAME pc, sp, flags
    mov r1, \sp
    push r1                         ; user SP
    mov r1, \flags
    push r1                         ; user FLAGS
    mov r1, USER_CS
    push r1
    mov r1, \pc
    push r1
    mov r1, 0
    push r1                         ; error slot
.endm

; SYS number: a system call of the teaching kernel's ABI — INT 0x80 with r0 = number (arguments in r1
; and r2, the result in r0).
.macro SYS number
    mov r0, \number
    int 0x80
.endm
