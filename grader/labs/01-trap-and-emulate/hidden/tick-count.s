; a bare kernel that loads its own IDT, brackets port I/O with CLI/STI and PUSHF/POPF, touches CR0 and INVLPG, and sleeps in HLT until five timer ticks
TIMER_PERIOD = 250

_start:
        mov r15, 0x8000
        mov r1, idt
        lidt r1
        mov r2, tick
        st [r1 + 256], r2          ; gate 32 (timer): handler
        mov r3, 1
        st [r1 + 260], r3          ; gate 32: present
        mov r1, TIMER_PERIOD
        out 0x40, r1
        mov r5, 0                  ; ticks seen
loop:
        cli
        pushf
        pop r7
        out 0x12, r7               ; FLAGS with IF clear, in hex
        mov r8, 10
        out 0x10, r8
        mov r9, cr0
        mov cr0, r9
        invlpg r9
        pushf
        sti
        popf                       ; restores IF = 0: the tick must wait for the next STI
        sti
        hlt
        cmp r5, 5
        jl loop
        cli
        mov r1, 0
        out 0x40, r1
        out 0x11, r5
        mov r8, 10
        out 0x10, r8
        mov r1, 0
        out 0xf0, r1

tick:
        add r5, r5, 1
        iret

        .align 8
idt:    .space 2048
