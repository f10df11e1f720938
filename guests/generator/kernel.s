; guests/generator/kernel.s — the end of every generated guest kernel: its interrupt handlers and routines.
;
; Follows the generated code (after guests/generator/layout.s, whose names and macros it uses).
; Handlers save what they clobber; IRET restores FLAGS (status bits included) from the frame. The
; frame at [sp] on entry: error slot, PC, CS, FLAGS (and the old SP when entered from CPL 3).

INSN_BYTES   = 4                ; DIV, REM and CLI, which the fault handlers skip
FRAME_PC     = 12               ; [sp + FRAME_PC]: the faulting PC, above two saved registers and the error slot

; SKIP_FAULT counter: the body of a fault handler that counts the fault and returns past the faulting instruction.
.macro SKIP_FAULT counter
    SAVE r1, r2
    ld r1, [sp + FRAME_PC]
    add r1, r1, INSN_BYTES
    st [sp + FRAME_PC], r1
    INC_WORD \counter
    RESTORE r1, r2
    iret
.endm

; REPORT_COUNTER letter, counter: print "letter=value " for the word at counter; r2 = KDATA. Clobbers r1.
.macro REPORT_COUNTER letter, counter
    PUTC \letter
    PUTC '='
    ld r1, [r2 + \counter - KDATA]
    out PORT_DEC, r1
    PUTC ' '
.endm

; ---------------------------------------------------------------------------------------------------
; Handlers.

timer_handler:                  ; vector 32: count the tick
    TICK_ENTRY TICKS

de_handler:                     ; #DE: count it and skip the 4-byte DIV/REM
    SKIP_FAULT DE_COUNT

gp_handler:                     ; #GP: count it and skip the 4-byte instruction (user-mode CLI)
    SKIP_FAULT GP_COUNT

pf_handler:                     ; #PF: map the faulting page (identity), INVLPG it, retry the access
    SAVE r1, r2
    mov r1, cr2
    shr r1, r1, PAGE_SHIFT
    shl r1, r1, ENTRY_SHIFT
    mov r2, PAGE_TABLE
    add r1, r1, r2              ; address of the PTE
    mov r2, cr2
    shr r2, r2, PAGE_SHIFT
    shl r2, r2, PAGE_SHIFT
    or r2, r2, PTE_PWU
    st [r1], r2
    mov r2, cr2
    invlpg r2
    INC_WORD PF_COUNT
    RESTORE r1, r2
    iret

syscall_handler:                ; INT 0x80: print r1 in decimal, print the character r1, or exit
    cmp r0, SYS_PRINT_DEC
    jnz sys_not_print
    out PORT_DEC, r1
    push r1
    PUTC ' '
    pop r1
    mov r0, 0
    iret
sys_not_print:
    cmp r0, SYS_PRINT_CHAR
    jnz sys_not_char
    out PORT_CHAR, r1
    mov r0, 0
    iret
sys_not_char:
    cmp r0, SYS_EXIT
    jnz sys_bad
    call report                 ; exit: print the counters, power off with code 0
    POWER_OFF 0
    cli
    hlt
sys_bad:
    mov r0, -1
    iret

unexpected_handler:             ; any other vector: say so and power off with UNEXPECTED_EXIT
    PUTC '!'
    POWER_OFF UNEXPECTED_EXIT
    cli
    hlt

; report: print "t=<ticks> d=<#DE> g=<#GP> p=<#PF>" and a newline (clobbers r1, r2)
report:
    mov r2, KDATA
    REPORT_COUNTER 't', TICKS
    REPORT_COUNTER 'd', DE_COUNT
    REPORT_COUNTER 'g', GP_COUNT
    REPORT_COUNTER 'p', PF_COUNT
    PUTC '\n'
    ret

; mix_routine: a leaf routine the random blocks call
mix_routine:
    add r0, r0, 1
    xor r1, r1, r0
    ret
